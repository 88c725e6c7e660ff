"""The verdict table of ``routegen diff``: for each kind of change, breaking or not, and why.

Kept apart from the engine (``diff.py``) so the policy reads as one table.
"""

from __future__ import annotations

__all__ = ["KINDS", "RULES", "RULES_TABLE", "Verdict"]

# One line per verdict: kind, verdict, reason. A kind with two lines is decided per
# change (e.g. a field made nullable breaks readers, not writers). The verdict is
# "breaking" or "ok", optionally with ":<case>" when one verdict has two reasons
# (a field that became writable breaks writers because it is now required).
RULES_TABLE = """
auth-api-key-header-changed     breaking  clients send the key in the old header
auth-token-added                breaking  clients authenticate the old way
auth-token-removed              breaking  clients authenticate the old way
auth-token-header-changed       breaking  clients send the token in the old header
auth-token-scheme-changed       breaking  clients send the token with the old scheme
auth-token-changed              breaking  clients use the old token settings and are rejected
auth-token-lifetime-changed     ok        clients renew on an expired-token error
auth-token-renew-before-changed ok        a client-side renewal margin only
error-added                     ok        a new code gets its own exception class
error-removed                   breaking  its exception class disappears
error-status-changed            breaking  callers handling the error by status miss it
filter-added                    ok        only routes that honour it use it
filter-removed                  breaking  callers passing this filter fail
filter-field-added              ok        it is optional; existing calls do not send it
filter-field-removed            breaking  callers passing this field fail
filter-field-retyped            breaking  values of the old type are rejected
filter-field-retyped            ok        only nullable, or the same wire and Python type
filter-wire-renamed             breaking  values under the old wire name are ignored
filter-wire-renamed             ok        only the case changed and names bind ignoring case
model-added                     ok        a new model does not affect existing callers
model-removed                   breaking  code importing or receiving this model breaks
field-added                     breaking  writers must now send this required field
field-added                     ok        optional, read-only or only read: no caller breaks
field-removed                   breaking  readers and writers of this field break
field-renamed                   breaking  the old wire and attribute names are gone
field-retyped                   breaking  values of the old type no longer validate
field-retyped                   ok        same wire and Python type, e.g. int and long
field-made-nullable             breaking  readers relying on a value get null
field-made-nullable             ok        the model is only written: writers may omit it
field-made-required             breaking  writers must now send a value
field-made-required             ok        the model is only read: readers always get one
field-read-only-changed         breaking  the server now ignores the value writers send
field-read-only-changed         breaking:required  writers must now send this non-nullable field
field-read-only-changed         ok        no caller loses anything
field-constraint-changed        breaking  values writers sent before may be rejected
field-constraint-changed        ok        loosened, or the model is only read
enum-added                      ok        a new enum does not affect existing callers
enum-removed                    breaking  code importing or receiving this enum breaks
enum-value-added                ok        existing values keep their meaning
enum-value-removed              breaking  callers sending or matching this value break
route-added                     ok        new routes do not affect existing callers
route-removed                   breaking  callers of this route get an error
route-renamed                   breaking  the client method moves to a new name
route-method-changed            breaking  requests to the old endpoint fail
route-path-changed              breaking  requests to the old endpoint fail
route-paged-changed             breaking  the client method's shape changes
route-auth-changed              breaking  callers sending less authentication are rejected
route-auth-changed              ok        callers already send more than needed
route-body-changed              breaking  callers send the old body
route-response-changed          breaking  callers expect the old response
request-filter-field-added      ok        it is optional; existing calls do not send it
request-filter-field-removed    breaking  the server ignores it: callers get unfiltered data
route-filter-added              ok        it is optional; existing calls do not send it
route-filter-removed            breaking  the server ignores it: callers get unfiltered data
route-filter-field-added        ok        it is optional; existing calls do not send it
route-filter-field-removed      breaking  the server ignores it: callers get unfiltered data
route-error-added               ok        the code's exception class already exists
route-error-removed             ok        handlers for it are merely unused
max-page-size-changed           breaking  larger pages are clamped: more calls needed
max-page-size-changed           ok        larger pages are allowed
max-range-changed               breaking  longer ranges are clamped: records silently missing
max-range-changed               ok        longer ranges are served
dates-required-changed          breaking  calls without both dates are rejected
dates-required-changed          ok        calls with dates still work
route-min-interval-changed      breaking  calls closer together than the new interval are throttled
route-min-interval-changed      ok        calls paced for the old interval still fit
route-idempotent-changed        ok        retries only; callers handle the final error either way
route-status-changed            breaking  code checking the documented success status sees another
api-base-url-changed            ok        the generated client uses the new default
body-key-renamed                breaking  requests carry filters and data under the old key
error-object-key-renamed        breaking  codes and pointers are read from the old key
gateway-error-added             ok        a new gateway message gets its own exception class
gateway-error-removed           breaking  its exception class disappears
gateway-error-changed           breaking  old clients miss it: handlers for its class are skipped
gateway-error-retry-changed     ok        retries only; callers handle the final error either way
limit-changed                   breaking  calls that fitted the old plan may now be throttled
limit-changed                   ok        calls that fitted the old plan still fit
pagination-header-renamed       breaking  clients send or read paging in the old header
pagination-first-page-changed   breaking  page numbers callers pass now select another page
pagination-max-size-changed     breaking  larger pages are clamped: more calls needed
pagination-max-size-changed     ok        larger pages are allowed
pagination-default-size-changed ok        pages report the size used; callers needing one pass it
date-range-added                ok        the effective range is now reported as well
date-range-removed              breaking  the effective range is no longer reported on pages
date-range-header-renamed       breaking  clients read the effective range from the old header
date-range-field-renamed        breaking  clients clamp and split ranges on the old fields
date-range-day-bounds-changed   breaking  a date-only value now means another time of day
"""


Verdict = tuple[bool, str]  # (breaking, case); case "" is the kind's default line


def _parse_rules(table: str) -> dict[str, dict[Verdict, str]]:
    rules: dict[str, dict[Verdict, str]] = {}
    for line in table.strip().splitlines():
        kind, verdict, reason = line.split(None, 2)
        label, _, case = verdict.partition(":")
        if label not in ("breaking", "ok"):
            raise ValueError(f"bad verdict {verdict!r} for {kind}")
        rules.setdefault(kind, {})[(label == "breaking", case)] = reason
    return rules


RULES = _parse_rules(RULES_TABLE)
KINDS: tuple[str, ...] = tuple(sorted(RULES))
