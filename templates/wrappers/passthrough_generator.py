def __PATCHKIT_FACTORY__(original):
    """Wrapper factory for __PATCHKIT_TARGET__; `original` is the generator function found at apply time."""
    # Target: __PATCHKIT_DEF__

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        # --- before: runs at the first next(); args/kwargs are the call's arguments ---
        result = yield from original(*args, **kwargs)  # send/throw/close pass through
        # --- after: runs when the original is exhausted; `result` is its return value ---
        return result

    return wrapper
