/**
 * The program `verify` runs in the target interpreter — normally, with site enabled, because what is
 * verified is exactly what site.py and the `.pth` do at start-up. It is a file, not `-c`, so that a
 * multiprocessing spawn child can import its `__main__` and run `child()`. It writes one JSON line,
 * prefixed, to stdout; the sentinels' own prints cannot be mistaken for it.
 */
export const PROBE_MARK = 'PATCHKIT-VERIFY ';

export const VERIFY_PROBE = String.raw`
import json, os, sys

def probe(loader_name, sentinels):
    # The .pth (on 3.15+ the .start) imported the injector, whose stub finder is on sys.meta_path, before any of our code ran.
    started = loader_name in sys.modules or any(getattr(f, "patchkit", None) == loader_name for f in sys.meta_path)
    imports = {}
    for name in sentinels:
        try:
            __import__(name)
            imports[name] = None
        except BaseException as e:  # a sentinel that fails to import is a finding, not a crash of the probe
            imports[name] = "%s: %s" % (type(e).__name__, e)
    try:
        loader = __import__(loader_name)
        report = loader.report()
        origin = getattr(loader, "__file__", None)
    except BaseException as e:
        report, origin = None, "%s: %s" % (type(e).__name__, e)
    return {"pid": os.getpid(), "executable": sys.executable, "started": started, "imports": imports,
            "report": report, "loader": origin}

def child(queue, loader_name, sentinels):
    queue.put(probe(loader_name, sentinels))

if __name__ == "__main__":
    loader_name, spawn = sys.argv[1], sys.argv[2] == "1"
    sentinels = sys.argv[3:]
    result = {"parent": probe(loader_name, sentinels), "child": None}
    if spawn:
        import multiprocessing
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        proc = ctx.Process(target=child, args=(queue, loader_name, sentinels))
        proc.start()
        try:
            result["child"] = queue.get(timeout=120)
        except Exception as e:
            result["child"] = {"error": "%s: %s" % (type(e).__name__, e)}
        proc.join(30)
    sys.stdout.write("\nPATCHKIT-VERIFY " + json.dumps(result) + "\n")
    sys.stdout.flush()
`;
