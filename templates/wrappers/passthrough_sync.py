def __PATCHKIT_FACTORY__(original):
    """Wrapper factory for __PATCHKIT_TARGET__; `original` is the function found at apply time."""
    # Target: __PATCHKIT_DEF__

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        # --- before: runs before the original; args/kwargs are the call's arguments ---
        result = original(*args, **kwargs)
        # --- after: runs after the original returned `result` ---
        return result

    return wrapper
