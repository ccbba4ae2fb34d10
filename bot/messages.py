"""Every sentence a user can see, in one place (as bolt's `logger/messages.py`).

Plain functions returning strings, so listeners and tests share the exact wording. Text here is Slack
mrkdwn unless a function says otherwise; anything a user typed is escaped by the caller's formatter.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.errors import NoJoinLink, ProviderError, ProviderNotLinked, UnsupportedRecurrence
from bot.formatting import escape, mention

EXAMPLE = "`tomorrow 3pm for 45m`"

# -- the time parser ------------------------------------------------------------------------------


def empty_time() -> str:
    return f"Tell me when, e.g. {EXAMPLE}, `friday 10am`, `every monday 9:30` or `now`."


def nothing_found(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "…"
    return f"I couldn't find a time in “{shown}”. Try e.g. {EXAMPLE} or `dec 3 at 4pm`."


def too_long(limit: int) -> str:
    return f"That's too long for a time: keep it under {limit} characters, e.g. {EXAMPLE}."


def add_a_time(example_day: str = "tomorrow") -> str:
    return f"Add a time, e.g. `{example_day} 3pm`."


def in_the_past(when: str) -> str:
    return f"{when} is in the past. Pick a time that's still ahead, e.g. {EXAMPLE}."


def impossible_date(month_name: str, day: int, year: int | None = None) -> str:
    where = f"{month_name} {year}" if year else month_name
    return f"{where} has no day {day}. Check the date, e.g. `{month_name[:3].lower()} 1 3pm`."


def bad_clock(typed: str) -> str:
    return f"“{typed}” isn't a time of day. Use e.g. `1pm` or `13:00`."


def bad_duration(typed: str) -> str:
    return f"“{typed}” isn't a duration I can use: give 1 minute to 24 hours, e.g. `for 45m` or `for 1h30`."


def two_times() -> str:
    return "I found two different times. Give one start time (and an end or a duration), e.g. `3pm for 45m` or `3-4pm`."


def two_dates() -> str:
    return "I found two different days. Give one, e.g. `friday 3pm` or `dec 3 3pm`."


def two_weekdays(first: int, second: int) -> str:
    """Two weekdays and no "every": one meeting on either, or a weekly repeat? Either way, say so."""
    a, b = (("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d] for d in (first, second))
    return f"I found two days ({a} and {b}). For a weekly repeat say `every {a} and {b} 3pm`; for one meeting give one day."


def two_durations() -> str:
    return "I found two durations. Give one, e.g. `for 45m`."


def two_zones() -> str:
    return "I found two time zones. Give one, e.g. `3pm PT` or `15:00 Europe/Berlin`."


def two_recurrences() -> str:
    return "I found two repeat rules. Give one, e.g. `every monday` or `every other thursday`."


def range_and_duration() -> str:
    return "Give either an end time or a duration, not both: e.g. `3-4pm` or `3pm for 1h`."


def bad_zone(typed: str) -> str:
    return f"“{typed}” isn't a time zone I know. Use an IANA name like `Europe/Berlin`, or `UTC+2`, `PT`, `CET`."


def recurrence_ends_before_start() -> str:
    return "The repeat ends before the first meeting. Check the `until` date, e.g. `every monday 10am until dec 21`."


def bad_count(limit: int | None = None) -> str:
    if limit:
        return f"A repeat needs 1 to {limit} occurrences, e.g. `every friday 4pm, 4 times`."
    return "A repeat needs at least one occurrence, e.g. `every friday 4pm, 4 times`."


def too_far(years: int) -> str:
    return f"That's more than {years} years ahead. Pick a date closer in, e.g. `dec 3 4pm`."


def too_big(typed: str) -> str:
    shown = typed if len(typed) <= 40 else typed[:37] + "…"
    return f"“{shown}” is more than I can schedule. Use a smaller number, e.g. `in 90 minutes` or `every 2 weeks`."


def which_half(first: str, second: str) -> str:
    return f"Did you mean {first} or {second}? Say which, e.g. `{second}`."


def which_unit(typed: str) -> str:
    return f"“{typed}”: minutes or hours? Say which, e.g. `for 45m` or `for 2h`."


def which_repeat(weeks: int, ordinal: str, day: str) -> str:
    """`every 3rd wednesday`: every third week, or one Wednesday a month?"""
    return (f"Did you mean every {weeks} weeks on {day.capitalize()} or the {ordinal} {day.capitalize()} of every month? "
            f"Say which, e.g. `every {weeks} weeks on {day}` or `{ordinal} {day} of the month`.")


def which_day_of_week(week: int) -> str:
    return f"Which day of week {week}, and when? Add them, e.g. `wednesday in week {week} 2pm`."


def one_week_of_the_month() -> str:
    return ("A repeat can be on one week of the month, e.g. `2nd saturday of every month 10am`; for two, "
            "create a meeting for each.")


def date_just_passed(day: date) -> str:
    return f"{day:%b} {day.day} has passed this year. Pick a date still ahead, or say the year, e.g. `{day:%b} {day.day} {day.year + 1} 3pm`."


def start_off_the_repeat(day: date, weekdays: list[int]) -> str:
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    on = " and ".join(names[d] + "s" for d in weekdays)
    return f"{day:%b} {day.day} is a {names[day.weekday()]}, but the repeat is on {on}. Start on one of those days."


def which_midnight(day: date) -> str:
    after = day + timedelta(days=1)
    return (f"Midnight as {day:%a %b} {day.day} starts, or as it ends? Say which, e.g. `{day:%a %b} {day.day} 12am` "
            f"or `{after:%a %b} {after.day} 12am`.")


def which_next(this_week: date, week_after: date, this_week_said: bool = True) -> str:
    """`next friday` said on a Wednesday: people mean either Friday, so it asks."""
    first, second = (f"{d:%a %b} {d.day}" for d in (this_week, week_after))
    nearer = f"this {first.split()[0].lower()}" if this_week_said else first.lower()
    return f"Did you mean {first} or {second}? Say which, e.g. `{nearer}` or `{second.lower()}`."


def which_end(first: str, second: str) -> str:
    return f"Did you mean {first} or {second}? Say which, e.g. `until end of march` or `until mar 1`."


def ends_before_start(start: str, end: str) -> str:
    return f"The meeting would end ({end}) before it starts ({start}). Check the times, e.g. `2pm-4pm`."


def weekday_mismatch(day: str, actual: str, typed: str) -> str:
    return f"{day} is a {actual}, not a {typed}. Which did you mean?"


def zones_disagree(typed: str, first_agrees: str, second_agrees: str) -> str:
    return f"“{typed}” are not the same moment: {first_agrees}, and {second_agrees}. Which did you mean?"


def unclear_word(word: str) -> str:
    return f"I didn't understand “{word}” here. Say it another way, e.g. `tomorrow 3pm` or `friday 10:30am`."


def recurrence_end_unclear(words: str) -> str:
    return f"I couldn't tell when the repeat ends (“{words}”). Try e.g. `until dec 21`, `for 6 weeks` or `, 10 times`."


# -- start-up --------------------------------------------------------------------------------------


def slack_token_rejected(reason: str) -> str:
    return f"Slack rejected SLACK_BOT_TOKEN ({reason}): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth page."


def slack_unreachable(url: str, reason: str) -> str:
    return f"Can't reach the Slack API at {url} ({reason}): check SLACK_API_URL and the network."


# -- Slack: help, results, failures -----------------------------------------------------------------


def help_text(unknown: str | None = None) -> str:
    head = f"I don't know `{unknown}`. " if unknown else ""
    return (
        f"{head}*/meet* creates a meeting and posts the join link here.\n"
        "• `/meet` — open the scheduling form\n"
        "• `/meet Design review tomorrow 3pm for 45m` — the form, filled in\n"
        "• `/meet Weekly sync every tuesday 11am` — a recurring meeting\n"
        "• `/meet now Incident bridge` — an instant meeting, posted straight away\n"
        "• `/meet link zoom` · `/meet link dialpad` — use your own account · `/meet status`\n"
        "Times are read in your Slack time zone unless you name one (`3pm PT`, `15:00 CET`)."
    )


def title_required() -> str:
    return "Give the meeting a title, e.g. `Design review`."


def title_too_long(limit: int) -> str:
    return f"Keep the title under {limit} characters."


def provider_not_linked(label: str, name: str) -> str:
    return f"You haven't linked {label} yet. Type `/meet link {name}`, or pick another provider."


def modal_failed(reason: str) -> str:
    return (
        f"I couldn't open the scheduling form ({reason}). Try `/meet` again, or type it all in one line: "
        "`/meet Design review tomorrow 3pm for 45m`."
    )


def modal_too_late() -> str:
    return ("I was too busy to open the scheduling form in time (Slack allows 3 seconds). Type `/meet` again, "
            "or write it all in one line: `/meet Design review tomorrow 3pm for 45m`.")


def posted_by_dm(channel_id: str, reason: str) -> str:
    where = f"<#{channel_id}>" if channel_id else "that conversation"
    return f"I couldn't post in {where} ({reason}), so here is your meeting. Invite me with `/invite @meetbot` to post there next time."


def creation_failed(label: str, detail: str) -> str:
    """`detail` is the provider's own words: escaped, since it goes into mrkdwn."""
    return f"{label} couldn't create the meeting: {escape(detail)} Nothing was lost: press *Retry* to try again."


def creation_unknown(label: str) -> str:
    return (
        f"{label} didn't answer in time, so the meeting may or may not exist. Check your {label} meetings before "
        "pressing *Retry*: a retry may create a second one."
    )


def unexpected_error() -> str:
    return "Something went wrong on my side while creating the meeting. Nothing was lost: press *Retry* to try again."


def already_done() -> str:
    return "That meeting was already created and posted."


def not_saved() -> str:
    return "I couldn't save your meeting request (my database is busy or unavailable), so nothing was created. Please try again in a moment."


def failed_before() -> str:
    return "That meeting couldn't be created earlier. Press *Retry* to try again."


def provider_busy(label: str) -> str:
    return f"I'm handling too many {label} meetings right now, so I didn't start this one. Nothing was lost: press *Retry* in a minute."


def maybe_posted(channel_id: str) -> str:
    where = f"<#{channel_id}>" if channel_id else "the channel"
    return f"Slack didn't confirm my post in {where}, so it may be there already. Here is your meeting in case it isn't."


def retry_in_progress() -> str:
    return "That meeting is already being created."


def not_available_yet(subcommand: str) -> str:
    return f"`/meet {subcommand}` isn't available in this deployment yet. Type `/meet help` for what works."


def host_details(has_host_link: bool, passcode: str | None, app_label: str | None = None) -> str:
    """The organiser's private note; `app_label` when the one-time host link is gone (the meeting was found
    at the provider after a lost answer, or posted after a restart)."""
    lines = ["Only you can see this."]
    if has_host_link:
        lines.append("*Start as host* with the button below: it signs you in as the host, so don't share it.")
    elif app_label:
        lines.append(f"Your meeting is posted. Start it as host from your {app_label} app or web portal.")
    if passcode:
        lines.append(f"Passcode: `{passcode}`")
    return "\n".join(lines)


# -- linking providers --------------------------------------------------------------------------------


def reconnect(label: str, name: str) -> str:
    return f"Your {label} link has expired or was revoked. Reconnect with `/meet link {name}` (nothing else was changed)."


def refresh_failed(label: str) -> str:
    return (f"{label} didn't confirm your renewed access in time, so I stopped there; your {label} account is still "
            "linked.")


def refresh_busy(label: str) -> str:
    return f"Your {label} access is still being renewed by another request, so I stopped there; your {label} account is still linked."


def provider_not_configured(label: str, variables: str) -> str:
    return f"{label} isn't set up in this deployment yet: an admin needs to set {variables}."


def undecryptable_left(count: int) -> str:
    return (f"{count} stored secret(s) could not be decrypted with any key of MEETBOT_SECRET_KEY and were left as "
            "they are: add the old key back and run rotate-keys again, or let those users relink (a workspace "
            "installation: reinstall at /slack/install).")


def not_installed(public_url: str) -> str:
    """Said to someone using meetbot in a workspace that has no installation (uninstalled, or never added)."""
    where = f"at {public_url.rstrip('/')}/slack/install" if public_url else "from the app's page in the Slack App Directory"
    return f"meetbot isn't installed in this workspace (any more). A workspace admin can add it {where}; nothing was created."


def public_url_missing() -> str:
    return "Linking needs MEETBOT_PUBLIC_URL (the https address of this app), which an admin hasn't set."


def connect_prompt(label: str) -> str:
    return f"Connect your {label} account so `/meet` creates meetings there. The button is just for you and works once, for 10 minutes."


def linked(label: str, who: str, is_default: bool) -> str:
    tail = " It's now your default for `/meet`." if is_default else f" Make it your default with `/meet default {label.lower()}`."
    return f"{label} connected as {escape(who)}.{tail}"


def unlinked(label: str) -> str:
    return f"{label} disconnected: its tokens are deleted. Meetings go to Jitsi unless you link another provider."


def not_linked(label: str, name: str) -> str:
    return f"You haven't linked {label}. Type `/meet link {name}` to connect it."


def default_set(label: str) -> str:
    return f"New meetings now go to {label} by default."


def which_provider(command: str, names: list[str]) -> str:
    return "Which one? Type " + " or ".join(f"`/meet {command} {n}`" for n in names) + "."


def no_account_needed(label: str) -> str:
    return f"{label} needs no account: it's always available."


def unknown_provider(word: str, names: list[str]) -> str:
    return f"I don't know the provider `{word}`. Use one of: " + ", ".join(f"`{n}`" for n in names) + "."


def dialpad_no_email() -> str:
    return "I can't see your email address in Slack, so I can't find your Dialpad user. Ask an admin to check the app's users:read.email scope."


def dialpad_no_match(email: str) -> str:
    return f"No active Dialpad user has the email {email}. Ask your Dialpad admin, or link with a Dialpad account that uses it."


def taken_elsewhere(label: str, name: str) -> str:
    return (f"That {label} account is already linked to another Slack user in this workspace. It can be linked here "
            f"once they unlink it (`/meet unlink {name}`).")


def status_text(lines: list[str], default_label: str, tz: str) -> str:
    linked_part = "\n".join(lines) if lines else "No provider linked: meetings go to Jitsi."
    return f"*Linked accounts*\n{linked_part}\n*Default:* {default_label}\n*Time zone used:* {tz}"


def rate_limited(label: str, retry_after: float | None) -> str:
    if retry_after is None:
        return f"{label} is busy right now. Wait a little and press *Retry*."
    minutes = int(retry_after // 60)
    when = f"in about {minutes} minutes" if minutes >= 2 else "in a minute"
    if retry_after > 3 * 3600:
        when = f"after {int(retry_after // 3600)} hours (the daily limit resets at 00:00 UTC)"
    return f"{label} says too many requests: try again {when}. Nothing was lost: press *Retry* then."


def no_join_link(label: str) -> str:
    return f"{label} created the meeting but sent no join link; check your {label} meetings before retrying."


def recurrence_unsupported(label: str, why: str) -> str:
    return f"{label} can't repeat a meeting like that ({why}). Try e.g. `every monday 10am` or `monthly on the 15th`."


RECURRENCE_LIMITS = {
    "freq": "it has no {value} repeats", "interval": "at most every {value}", "weekly_days": "weekly rules take plain days",
    "monthly_weekdays": "one weekday of the month at a time", "monthly_position": "only the 1st–4th or last weekday",
    "count": "at most {value} occurrences",
}
PROVIDER_CAUSES = {
    "unreachable": "I couldn't reach {label}.", "timeout": "{label} didn't answer in time.",
    "broken": "The connection to {label} broke.", "server_error": "{label} is having trouble ({detail}).",
    "unreadable": "{label} sent an answer I couldn't read ({detail}).",
}


def provider_problem(label: str, exc: ProviderError) -> str:
    """A provider's typed error in the organiser's words (the provider's own message when it sent one).
    Plain text: escape it before it goes into mrkdwn (`creation_failed` does)."""
    if isinstance(exc, UnsupportedRecurrence):
        return recurrence_unsupported(label, RECURRENCE_LIMITS.get(exc.limit, exc.limit).format(value=exc.value))
    if isinstance(exc, NoJoinLink):
        return no_join_link(label)
    if isinstance(exc, ProviderNotLinked):
        return provider_not_linked(label, exc.provider)
    if exc.cause == "disconnected":  # the refresh token was refused, or the link is unusable
        return reconnect(label, exc.provider)
    if exc.cause == "refresh_failed":
        return refresh_failed(label)
    if exc.cause == "refresh_busy":
        return refresh_busy(label)
    if exc.cause in PROVIDER_CAUSES:
        return PROVIDER_CAUSES[exc.cause].format(label=label, detail=exc)
    return str(exc)


PAGE_INSTALLED = "meetbot is installed"
PAGE_INSTALLED_BODY = "meetbot was added to {team}. Type /meet in any channel there to create a meeting. You can close this tab."
PAGE_NOT_INSTALLED = "meetbot was not installed"
PAGE_INSTALL_CANCELLED_BODY = "The install was cancelled on Slack's page, so nothing changed. Open {install} to try again."
PAGE_INSTALL_BAD_LINK_BODY = ("This install link has expired, was already used, or was opened in a different browser. "
                              "Open {install} again in this browser.")
PAGE_INSTALL_FAILED_BODY = "Slack didn't complete the install ({reason}), so nothing was stored. Open {install} to try again."
PAGE_CONNECTED = "{label} connected"
PAGE_CONNECTED_BODY = "Your {label} account is linked to meetbot. You can close this tab and go back to Slack."
PAGE_DENIED = "{label} was not connected"
PAGE_DENIED_BODY = "You didn't allow access, so nothing changed. Type /meet link {name} in Slack to try again."
PAGE_BAD_LINK = "This link can't be used"
PAGE_BAD_LINK_BODY = "It has expired, was already used, or was opened in a different browser. Type /meet link {name} in Slack for a fresh one."
PAGE_FAILED = "{label} could not be connected"
PAGE_FAILED_BODY = "{label} answered: {detail}. Nothing changed. Type /meet link {name} in Slack to try again."
PAGE_CONFIRM = "Connect {label} to Slack?"
PAGE_CONFIRM_SIGNIN = ("This links a {label} account to the Slack account this link was made for, in the workspace {where}. "
                       "First sign in with Slack: if you are not that Slack user, nothing is linked.")
PAGE_CONFIRM_EMAIL = ("This links a {label} account to the Slack account this link was made for, in the workspace {where}. "
                      "The {label} account you sign in with must use the same email address as that Slack account, "
                      "or nothing is linked.")
PAGE_CONFIRM_BUTTON = "Continue to {label}"
PAGE_CONFIRM_BUTTON_SIGNIN = "Sign in with Slack"
PAGE_CONFIRM_NOT_ME = "Links are personal: if someone sent you this one, close this tab and type /meet link in Slack yourself."
PAGE_NOT_LINKED = "{label} was not connected"
PAGE_EMAIL_MISMATCH_BODY = (
    "The {label} account you signed in with doesn't use the same email address as the Slack account this link was "
    "made for, so nothing was linked. Sign in to {label} with the account that uses your Slack email and type "
    "/meet link {name} in Slack for a fresh link; to link an account with another email, ask an admin to turn on "
    "Sign in with Slack (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET).")
PAGE_NO_SLACK_EMAIL_BODY = (
    "I can't see the email address of the Slack account this link was made for, so I can't check that this {label} "
    "account belongs to it; nothing was linked. Ask an admin to grant the users:read.email scope or to turn on "
    "Sign in with Slack (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET), then type /meet link {name} in Slack.")
PAGE_TAKEN_BODY = (
    "This {label} account is already linked to another Slack user in this workspace, so nothing was linked. "
    "It can be linked here once that person unlinks it (/meet unlink {name}).")
PAGE_WRONG_SLACK_USER = "Not linked: wrong Slack user"
PAGE_WRONG_SLACK_USER_BODY = (
    "You signed in to Slack as someone other than the person (or workspace) this link was made for, so nothing "
    "was linked. Links are personal: type /meet link {name} in Slack yourself.")
PAGE_SIGNIN_FAILED = "Slack sign-in didn't work"
PAGE_SIGNIN_FAILED_BODY = "Slack didn't confirm who signed in, so nothing was linked. Type /meet link {name} in Slack to try again."
REFUSED_EMAIL_MISMATCH = "the {label} account's email isn't the one on your Slack profile"
REFUSED_NO_SLACK_EMAIL = "I can't see the email on your Slack profile to compare"
REFUSED_WRONG_SLACK_USER = "whoever opened the link signed in to Slack as someone else"


def link_refused(label: str, name: str, why: str) -> str:
    return (f"Someone tried to link a {label} account to your Slack account and I refused: {why}. Nothing changed. "
            f"If it was you, type `/meet link {name}` and use your own {label} account; links are personal, so "
            "never forward one.")


# -- starting and stopping the service (one line on stderr each) ------------------------------------------


def slack_app_token_rejected(reason: str) -> str:
    return (f"Slack rejected SLACK_APP_TOKEN ({reason}): create an app-level token with the connections:write scope "
            "(Basic Information → App-Level Tokens) and copy it (xapp-…).")


def port_out_of_range(port: int) -> str:
    return f"--port {port} is not a port: use a number from 1 to 65535 (default 3000)."


def port_unavailable(host: str, port: int, reason: str) -> str:
    return f"Can't listen on {host}:{port} ({reason}): another program may be using it; pick another with --port."


def bad_default_tz(value: str) -> str:
    return f"MEETBOT_DEFAULT_TZ={value!r} isn't a time zone I know: use an IANA name such as Europe/Berlin or UTC."


def no_way_to_run() -> str:
    return ("SLACK_BOT_TOKEN is set but neither way to receive Slack requests is: set SLACK_APP_TOKEN (xapp-…) to "
            "run over Socket Mode, or SLACK_SIGNING_SECRET to serve HTTP at POST /slack/events.")


# -- the scheduling form: where to post ---------------------------------------------------------------------


def not_a_member() -> str:
    return "You're not in that private conversation, so I won't post there. Pick a conversation you're a member of."


def conversation_unverifiable() -> str:
    return "I can't see that conversation, so I can't check you're in it. Invite me there (/invite @meetbot) or pick another."


# -- workspace policy (#14 §4) ---------------------------------------------------------------------------------


def provider_not_allowed(label: str) -> str:
    return f"Your workspace's admins don't allow {label} for meetings. Pick another provider."


def no_provider_allowed(allowed: str) -> str:
    return (f"Your workspace's admins allow only {allowed} for meetings, and you haven't linked any of them. "
            "Type `/meet link <provider>` first.")


def settings_admins_only() -> str:
    return "Only workspace admins and owners can change meetbot's settings. Nothing was changed."


def settings_saved() -> str:
    return "meetbot's workspace settings are saved."


def confirm_big_channel(members: int) -> str:
    return (f"This conversation has {members} members. Post the meeting there? "
            "Press *Post it* to go ahead, or go back and pick another conversation.")


def members_not_a_number() -> str:
    return "Type a whole number of members (1 or more), or leave it empty to never ask."


def confirm_big_channel_now(members: int) -> str:
    return f"This conversation has {members} members. Post the meeting link here? Press *Post it* to go ahead."
# -- after the post: edit, cancel, host link, reminders (issue #13) ------------------------------------

def cancel_confirm() -> str:
    return "Everyone in the channel will see it cancelled, and its reminders are removed."


def cancelled_by(organiser_id: str) -> str:
    return f"Cancelled by {mention(organiser_id)}"


def only_organiser(organiser_id: str) -> str:
    return f"Only {mention(organiser_id)} can change this meeting."


def not_changeable() -> str:
    return "This meeting can't be changed any more (it was cancelled, or a change is still being made)."


def remade(label: str) -> str:
    return (f"{label} offers no way to move a meeting, so a new one was made at the new time and posted as a "
            f"new message. The old {label} meeting was left in place: delete it in {label} if it should go.")


def change_failed(label: str, problem: str) -> str:
    return f"The meeting was not changed: {problem} It keeps its old time and title."


def left_at_provider(label: str) -> str:
    return (f"Cancelled in Slack. The {label} meeting itself was left in place: delete it in {label} "
            "if it should go too.")


def host_link_ready() -> str:
    return "Here is a fresh host link (it works for two hours). Don't share it: it signs you in as host."


def host_link_missing(label: str) -> str:
    return f"{label} gave no host link for this meeting. Start it from the {label} app instead."


def reminder(title: str, minutes: int) -> str:
    return f":alarm_clock: *{title}* starts in {minutes} minutes."


# -- the time parser: questions added for issue #9's second round ---------------------------------------------


def zone_out_of_season(typed: str, day: str, in_use: str, clock: str, literal_offset: str) -> str:
    return (f"{typed} isn't in use on {day} (that region is on {in_use} then). Did you mean `{clock} {in_use}` "
            f"or `{clock} {literal_offset}`?")



def which_time_in_part(typed: str, example: str) -> str:
    return f"What time {typed}? Add one, e.g. `{typed} {example}`."


def replaced_by(when: str, new_post: str) -> str:
    """The old post of a meeting made again (Dialpad edit); `when` a date token, `new_post` a mrkdwn link or ''."""
    return f"Replaced by a new meeting on {when}" + (f" · {new_post}" if new_post else " (posted below)")
