def __PATCHKIT_FACTORY__(original):
    """Trace wrapper for __PATCHKIT_TARGET__: one JSON line per generator, written when it finishes."""
    # Target: __PATCHKIT_DEF__

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        error = None
        try:
            return (yield from original(*args, **kwargs))
        except GeneratorExit:
            raise
        except BaseException as exc:
            error = type(exc).__name__
            raise
        finally:
            trace(__PATCHKIT_KEY__, start, error)

    return wrapper
