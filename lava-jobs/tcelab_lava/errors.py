"""The error the CLI reports as one line ("tcelab lava: ..."), no traceback."""


class LavaError(Exception):
    """A user-facing failure: bad input, a server that says no, a failed run.

    The message names the file and line, or the server and job, it is about;
    it never holds a token."""


def where(path, line=None):
    """'FILE:LINE' or 'FILE' for messages."""
    return "%s:%d" % (path, line) if line else str(path)
