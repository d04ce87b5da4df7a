"""The core's error tree: every error raised on purpose derives from PlannerError.

PlannerError
├── InputError (ValueError)   bad traveler, CLI or form input
├── DataError                 a data file breaks its schema
└── FeedError (ValueError)    an advisory payload we cannot parse
"""


class PlannerError(Exception):
    """Every error the core raises on purpose; the message is one sentence a user can act on."""


class InputError(PlannerError, ValueError):
    """Bad traveler, CLI or form input."""


class DataError(PlannerError):
    """A data file is missing or breaks its schema; the message names file, entry and field."""


class FeedError(PlannerError, ValueError):
    """An advisory feed payload that cannot be parsed (truncated, HTML error page, wrong shape)."""


class FetchError(PlannerError):
    """A feed could not be downloaded: refused, timed out, HTTP error, too large."""
