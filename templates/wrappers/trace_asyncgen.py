def __PATCHKIT_FACTORY__(original):
    """Trace wrapper for __PATCHKIT_TARGET__: one JSON line per async generator, written when it finishes."""
    # Target: __PATCHKIT_DEF__
    # The bundle's helpers as closure variables: the wrapper runs with its target's globals, where
    # TorchScript resolves the names of the original's source, so it reads no global of this file.
    clock, record = time.perf_counter, trace

    @functools.wraps(original)
    async def wrapper(*args, **kwargs):
        start = clock()
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
            error = type(exc)
            raise
        finally:
            record(__PATCHKIT_KEY__, start, error)

    return wrapper
