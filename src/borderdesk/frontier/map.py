"""The offline map (filled in later)."""


def map_context(*, user, params):
    return {}
