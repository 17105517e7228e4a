def __PATCHKIT_FACTORY__(original):
    """Trace wrapper for __PATCHKIT_TARGET__: one JSON line per awaited call when the trace file is set."""
    # Target: __PATCHKIT_DEF__
    # The bundle's helpers as closure variables: the wrapper runs with its target's globals, where
    # TorchScript resolves the names of the original's source, so it reads no global of this file.
    clock, record = time.perf_counter, trace

    @functools.wraps(original)
    async def wrapper(*args, **kwargs):
        start = clock()
        error = None
        try:
            return await original(*args, **kwargs)
        except BaseException as exc:
            error = type(exc)
            raise
        finally:
            record(__PATCHKIT_KEY__, start, error)

    return wrapper
