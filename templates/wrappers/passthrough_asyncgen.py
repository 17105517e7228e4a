def __PATCHKIT_FACTORY__(original):
    """Wrapper factory for __PATCHKIT_TARGET__; `original` is the async generator function found at apply time."""
    # Target: __PATCHKIT_DEF__

    @functools.wraps(original)
    async def wrapper(*args, **kwargs):
        # --- before: runs at the first __anext__(); args/kwargs are the call's arguments ---
        agen = original(*args, **kwargs)
        try:
            value = await agen.__anext__()
            while True:
                try:
                    sent = yield value
                except GeneratorExit:
                    await agen.aclose()
                    raise
                except BaseException as exc:  # athrow() passes through
                    value = await agen.athrow(exc)
                else:
                    value = await agen.asend(sent)
        except StopAsyncIteration:
            pass
        # --- after: runs when the original is exhausted ---

    return wrapper
