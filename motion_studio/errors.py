"""User-facing errors. Their str() is one line a person can act on; faces print it and go on."""


class MotionStudioError(Exception):
    """Base class for every error a user may see."""


class MotionFileError(MotionStudioError):
    """A motion file could not be read or written (missing, malformed, wrong shape, NaN...)."""


class CheckpointError(MotionStudioError):
    """A checkpoint is missing, incomplete, corrupt or fails its hash check."""


class InputError(MotionStudioError):
    """A prompt or option makes no sense (empty, absurdly long, out of range)."""


class Cancelled(MotionStudioError):
    """The user stopped a long job (e.g. learning a task); nothing was written."""
