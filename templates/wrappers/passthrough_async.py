def __PATCHKIT_FACTORY__(original):
    """Wrapper factory for __PATCHKIT_TARGET__; `original` is the coroutine function found at apply time."""
    # Target: __PATCHKIT_DEF__

    @functools.wraps(original)
    async def wrapper(*args, **kwargs):
        # --- before: runs when the coroutine starts; args/kwargs are the call's arguments ---
        result = await original(*args, **kwargs)
        # --- after: runs once the original coroutine returned `result` ---
        return result

    return wrapper
