def __PATCHKIT_FACTORY__(original):
    """Trace wrapper for __PATCHKIT_TARGET__: one JSON line per async generator, written when it finishes."""
    # Target: __PATCHKIT_DEF__

    @functools.wraps(original)
    async def wrapper(*args, **kwargs):
        start = time.perf_counter()
        error = None
        agen = original(*args, **kwargs)
        try:
            value = await agen.__anext__()
            while True:
                try:
                    sent = yield value
                except GeneratorExit:
                    await agen.aclose()
                    raise
                except BaseException as exc:
                    value = await agen.athrow(exc)
                else:
                    value = await agen.asend(sent)
        except StopAsyncIteration:
            pass
        except GeneratorExit:
            raise
        except BaseException as exc:
            error = type(exc).__name__
            raise
        finally:
            trace(__PATCHKIT_KEY__, start, error)

    return wrapper
