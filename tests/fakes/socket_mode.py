"""A fake Slack Socket Mode endpoint: a websocket server on 127.0.0.1 that delivers envelopes and records acks.

Why a real websocket: `meetbot run` in Socket Mode uses slack_sdk's own client (handshake, frames, pings,
acks); a fake at the socket level tests exactly that path. Point FakeSlack's `socket_mode_url` at `url` so
`apps.connections.open` hands it out, as Slack does.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import socket
import struct
import threading
from urllib.parse import parse_qsl

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class FakeSocketMode:
    """`send(kind, payload)` an envelope to the connected app; `wait_ack(envelope_id)` for its answer."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._conn: socket.socket | None = None
        self._cond = threading.Condition()
        self._acks: dict[str, dict] = {}
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.connections = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"

    def __enter__(self) -> FakeSocketMode:
        thread = threading.Thread(target=self._accept, name="fake-socket-mode", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        for sock in (self._listener, self._conn):  # shutdown() wakes a thread blocked in accept()/recv()
            try:
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._listener.close()
        with self._cond:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        for thread in self._threads:
            thread.join(timeout=5)

    # -- what tests call ---------------------------------------------------------------------------------

    def wait_connected(self, timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._conn is not None, timeout=timeout):
                raise AssertionError("the app did not open a Socket Mode connection")

    def send(self, kind: str, payload: dict) -> str:
        """Deliver one envelope (`slash_commands`, `interactive`, `events_api`); returns its envelope_id."""
        envelope_id = f"env-{next(self._ids)}"
        self._frame(TEXT, json.dumps({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                      "accepts_response_payload": kind != "events_api", "retry_attempt": 0,
                                      "retry_reason": ""}).encode())
        return envelope_id

    def send_request(self, body: str) -> dict:
        """A request body as HTTP mode would get it (tests/slack_payloads), delivered as Slack does over the
        socket; returns the app's ack."""
        if body.startswith("{"):
            return self.wait_ack(self.send("events_api", json.loads(body)))
        fields = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" in fields:
            return self.wait_ack(self.send("interactive", json.loads(fields["payload"])))
        return self.wait_ack(self.send("slash_commands", fields))

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        with self._cond:
            if not self._cond.wait_for(lambda: envelope_id in self._acks, timeout=timeout):
                raise AssertionError(f"no ack for {envelope_id}")
            return self._acks[envelope_id]

    # -- the websocket -------------------------------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            reader = threading.Thread(target=self._serve, args=(conn,), name="fake-socket-mode-conn", daemon=True)
            reader.start()
            self._threads.append(reader)

    def _serve(self, conn: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            headers = dict(line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line)
            key = {k.lower(): v for k, v in headers.items()}["sec-websocket-key"].strip()
            accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
            conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
            with self._cond:
                self._conn = conn
                self.connections += 1
                self._cond.notify_all()
            self._frame(TEXT, json.dumps({"type": "hello", "num_connections": 1,
                                          "connection_info": {"app_id": "A1"}}).encode())
            self._read_frames(conn)
        except OSError:
            return
        finally:
            conn.close()

    def _read_frames(self, conn: socket.socket) -> None:
        stream = conn.makefile("rb")
        while True:
            head = stream.read(2)
            if len(head) < 2:
                return
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", stream.read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", stream.read(8))[0]
            mask = stream.read(4) if head[1] & 0x80 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(stream.read(length)))
            if opcode == PING:
                self._frame(PONG, data)
            elif opcode == CLOSE:
                return
            elif opcode == TEXT:
                message = json.loads(data)
                with self._cond:
                    self._acks[message.get("envelope_id", "")] = message.get("payload") or {}
                    self._cond.notify_all()

    def _frame(self, opcode: int, data: bytes) -> None:
        """One unmasked frame (servers never mask)."""
        if len(data) < 126:
            head = struct.pack("!BB", 0x80 | opcode, len(data))
        elif len(data) < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 126, len(data))
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, len(data))
        with self._cond:
            conn = self._conn
        if conn is not None:
            with self._send_lock:
                conn.sendall(head + data)
