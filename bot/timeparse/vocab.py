"""Word tables the time grammar is built from. Plain data: no logic, no I/O."""

from __future__ import annotations

from zoneinfo import available_timezones

WEEKDAYS: dict[str, int] = {}
for _index, _names in enumerate(
    [
        ("monday", "mon"),
        ("tuesday", "tue", "tues"),
        ("wednesday", "wed", "weds"),
        ("thursday", "thu", "thur", "thurs"),
        ("friday", "fri"),
        ("saturday", "sat"),
        ("sunday", "sun"),
    ]
):
    for _name in _names:
        WEEKDAYS[_name] = _index

RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

MONTHS: dict[str, int] = {}
for _index, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _index

MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
}

ORDINAL_WORDS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "last": -1,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
}

# Time-zone abbreviations. Each means *that region's wall clock on the date in question*, so "PST" in July
# is read as Pacific time (PDT) rather than a fixed UTC-8: people say "PST" all year round.
ZONE_ABBREVIATIONS: dict[str, str] = {
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "mt": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "akst": "America/Anchorage",
    "akdt": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "ast": "America/Halifax",
    "adt": "America/Halifax",
    "nst": "America/St_Johns",
    "ndt": "America/St_Johns",
    "brt": "America/Sao_Paulo",
    "art": "America/Argentina/Buenos_Aires",
    "wet": "Europe/Lisbon",
    "west": "Europe/Lisbon",
    "bst": "Europe/London",
    "ist": "Asia/Kolkata",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "mez": "Europe/Berlin",  # German for CET/CEST
    "mesz": "Europe/Berlin",
    "eet": "Europe/Athens",
    "eest": "Europe/Athens",
    "msk": "Europe/Moscow",
    "sast": "Africa/Johannesburg",
    "wat": "Africa/Lagos",
    "eat": "Africa/Nairobi",
    "gst": "Asia/Dubai",
    "pkt": "Asia/Karachi",
    "ict": "Asia/Bangkok",
    "wib": "Asia/Jakarta",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "pht": "Asia/Manila",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "awst": "Australia/Perth",
    "acst": "Australia/Adelaide",
    "acdt": "Australia/Adelaide",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "aet": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "nzt": "Pacific/Auckland",
}

# Region and city names accepted before the word "time" ("3pm London time", "9am pacific").
ZONE_REGIONS: dict[str, str] = {
    "pacific": "America/Los_Angeles",
    "mountain": "America/Denver",
    "central": "America/Chicago",
    "eastern": "America/New_York",
    "london": "Europe/London",
    "uk": "Europe/London",
    "dublin": "Europe/Dublin",
    "lisbon": "Europe/Lisbon",
    "paris": "Europe/Paris",
    "berlin": "Europe/Berlin",
    "amsterdam": "Europe/Amsterdam",
    "madrid": "Europe/Madrid",
    "rome": "Europe/Rome",
    "stockholm": "Europe/Stockholm",
    "zurich": "Europe/Zurich",
    "athens": "Europe/Athens",
    "kyiv": "Europe/Kyiv",
    "moscow": "Europe/Moscow",
    "istanbul": "Europe/Istanbul",
    "dubai": "Asia/Dubai",
    "india": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "singapore": "Asia/Singapore",
    "hong kong": "Asia/Hong_Kong",
    "shanghai": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "tokyo": "Asia/Tokyo",
    "seoul": "Asia/Seoul",
    "sydney": "Australia/Sydney",
    "melbourne": "Australia/Melbourne",
    "auckland": "Pacific/Auckland",
    "new york": "America/New_York",
    "nyc": "America/New_York",
    "ny": "America/New_York",
    "boston": "America/New_York",
    "toronto": "America/Toronto",
    "chicago": "America/Chicago",
    "denver": "America/Denver",
    "seattle": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "los angeles": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "vancouver": "America/Vancouver",
    "sao paulo": "America/Sao_Paulo",
    "mexico city": "America/Mexico_City",
}
# ...and every city the IANA database names ("9:30 Helsinki time", "10am Lagos time"), as "<city> time" only
# (a bare city after a time could be a place: "3pm Paris office"), unless listed above.
CITY_ZONES: dict[str, str] = {
    name.rsplit("/", 1)[-1].replace("_", " ").lower(): name
    for name in sorted(available_timezones())
    if name.split("/", 1)[0] in ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
    and name.count("/") == 1
}

# Parts of the day, with the hour they mean on their own and the half of the day a bare hour belongs to.
DAY_PARTS: dict[str, tuple[int, str]] = {
    "morning": (9, "am"),
    "afternoon": (14, "pm"),
    "evening": (18, "pm"),
    "tonight": (20, "pm"),
    "night": (20, "pm"),
}

# Words that join a time expression to the text around it; they belong to neither the title nor the time.
CONNECTORS = frozenset(
    {"at", "on", "@", "from", "for", "starting", "beginning", "by", "this", "the", "of", "in", "and", ",", "-", "–", "—",
     "sharp", "recurring", "repeating", "repeats", "around", "about", "approx", "approx.", "approximately", "roughly", "circa", "~", "+", "plus", "ish", "/", "|",
     "sometime", "later", "repeat"}
)

NUMBER_WORDS.update(
    {"zero": 0, "thirteen": 13, "fourteen": 14, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
     "fourty": 40}
)
TENS_WORDS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50}
ORDINAL_NAMES: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}

# Day words as people type them in a hurry (the fuzzy match below catches the rest).
DAY_WORD_TYPOS: dict[str, str] = {
    **dict.fromkeys(
        ("tmrw", "tmw", "tmr", "tmrow", "tmorrow", "tomorow", "tommorow", "tommorrow", "tomorro", "tomoz", "2moro",
         "2morro", "2morrow", "2mrw", "2mro", "tomrw", "tmoro", "tmrrw", "tomm", "tmro", "tomrrow", "tommrow"),
        "tomorrow",
    ),
    **dict.fromkeys(("tonite", "2nite", "2night", "tonigt", "tonght", "tnight"), "tonight"),
    "nite": "night", "abt": "about", "untill": "until", "unitl": "until", "utnil": "until",
    **dict.fromkeys(("2day", "tdy", "tday"), "today"),
    "wensday": "wednesday", "wendsday": "wednesday", "wednes": "wednesday", "thrs": "thurs", "frid": "fri",
    "arvo": "afternoon", "morn": "morning", "mornin": "morning", "eve": "evening", "evng": "evening", "eveing": "evening",
}

# Full day, month and day-part words a typo is matched against (each maps to itself). Short months and words
# that are also common English words ("march", "may", "june") are left out: "Match review" stays a title.
FUZZY_TARGETS: dict[str, str] = {
    w: w
    for w in (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "august", "september", "october", "november", "december", "tomorrow", "tonight", "today", "morning",
        "afternoon", "evening", "midnight", "weekdays", "fortnightly", "biweekly",
    )
}
