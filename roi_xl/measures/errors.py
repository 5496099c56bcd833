"""What can go wrong in the math, said without Excel."""


class OutOfDomain(ValueError):
    """An input outside the range where the measure means anything (a probability above 1)."""


class BadChoice(ValueError):
    """A choice argument that is none of the allowed words."""


class NotReached(LookupError):
    """The quantity asked for does not happen within the data (payback never reached)."""
