"""Runtime checks of a rendered <name>_patch_overlay.py, run by overlay-runtime.test.ts in a venv whose
site-packages holds the pristine ovpkg fixture, fix_patch_overlay.py (rendered from the plan of
ovpkg.diff) and fix_overlay.pth, which installs the tests' proxy finder (fix_overlay_finder).

Environment: FIX_PATCH_CACHE (an empty cache directory), OVERLAY_DRIFTED (a directory holding a copy
of ovpkg whose models.py no longer matches the diff)."""
import inspect
import multiprocessing
import os
import subprocess
import sys
import traceback
import unittest


def _child_fields(queue):
    import dataclasses

    import ovpkg.handlers
    import ovpkg.models
    import ovpkg.registry

    queue.put(
        (
            [f.name for f in dataclasses.fields(ovpkg.models.Request)],
            ovpkg.registry.HANDLERS.get("ping") is ovpkg.handlers.handle_ping,
            ovpkg.models.Request("c", 1, 3.0).describe(),
        )
    )


def _run(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
    )


class OverlayRuntime(unittest.TestCase):
    def test_dataclass_gains_a_field(self):
        import dataclasses

        import ovpkg.models

        self.assertEqual([f.name for f in dataclasses.fields(ovpkg.models.Request)], ["rid", "priority", "deadline"])
        request = ovpkg.models.Request("a", 2, 1.5)
        self.assertEqual(request.describe(), "a/2/1.5")
        if sys.version_info >= (3, 10):
            self.assertEqual(ovpkg.models.Request.__slots__, ("rid", "priority", "deadline"))
            with self.assertRaises(AttributeError):
                request.other = 1  # still slotted

    def test_registration_decorator_added(self):
        import ovpkg.handlers
        import ovpkg.registry

        self.assertIs(ovpkg.registry.HANDLERS["ping"], ovpkg.handlers.handle_ping)
        self.assertIs(ovpkg.registry.HANDLERS["echo"], ovpkg.handlers.handle_echo)
        self.assertEqual(ovpkg.handlers.handle_ping("x"), "pong x")

    def test_tracebacks_and_inspect_show_patched_lines(self):
        import ovpkg.models

        try:
            ovpkg.models.explode()
        except RuntimeError as error:
            frame = traceback.extract_tb(error.__traceback__)[-1]
        self.assertEqual(frame.filename, ovpkg.models.__file__)
        self.assertEqual(frame.line, 'raise RuntimeError("boom")')
        with open(ovpkg.models.__file__) as f:
            installed = f.read().splitlines()
        # The installed file has that line one earlier: the traceback reads the patched text.
        self.assertEqual(installed[frame.lineno - 2].strip(), frame.line)
        self.assertIn("deadline: float = 0.0", inspect.getsource(ovpkg.models.Request))
        self.assertIn("self.deadline", inspect.getsource(ovpkg.models.Request.describe))

    def test_site_packages_untouched_and_stdout_silent(self):
        import ovpkg.models

        with open(ovpkg.models.__file__) as f:
            self.assertNotIn("deadline", f.read())
        result = _run("import ovpkg.models, ovpkg.handlers")
        self.assertEqual((result.returncode, result.stdout), (0, ""), result.stderr)

    def test_compiled_code_is_cached_for_the_next_process(self):
        code = "import ovpkg.models; assert ovpkg.models.Request('a').deadline == 0.0"
        first = _run(code, FIX_PATCH_DEBUG="1")
        second = _run(code, FIX_PATCH_DEBUG="1")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn("ovpkg.models: 1 hunk(s) applied, compiled\n", first.stderr + second.stderr)
        self.assertIn("ovpkg.models: 1 hunk(s) applied, compiled code from the cache", second.stderr)
        entries = os.listdir(os.environ["FIX_PATCH_CACHE"])
        self.assertTrue(entries and all(e.endswith(".marshal") for e in entries), entries)
        self.assertEqual(_run(code, FIX_PATCH_CACHE="").returncode, 0)  # cache off: compiles each time

    def test_a_hunk_that_no_longer_applies_raises_overlay_error(self):
        import fix_patch_overlay
        import ovpkg.models

        with open(ovpkg.models.__file__) as f:
            source = f.read()
        with self.assertRaises(fix_patch_overlay.OverlayError) as caught:
            fix_patch_overlay.apply("ovpkg.models", source.replace("priority: int = 0", "priority: int = 1"))
        self.assertEqual(caught.exception.module, "ovpkg.models")
        self.assertTrue(caught.exception.header.startswith("@@ -9,9 "), caught.exception.header)
        self.assertIsInstance(caught.exception, ImportError)
        # Through the import system: the drifted copy first on sys.path fails to import, with the hunk named.
        result = _run("import ovpkg.models", PYTHONPATH=os.environ["OVERLAY_DRIFTED"])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("fix_patch_overlay.OverlayError: patchkit overlay for ovpkg.models: hunk", result.stderr)
        self.assertIn("does not apply to the installed source: line 11 is", result.stderr)

    def test_a_module_imported_before_the_loader_is_reported_not_overlaid(self):
        import fix_patch_overlay

        fresh = _run("import fix_patch_overlay; print(fix_patch_overlay.already_imported())")
        self.assertEqual((fresh.returncode, fresh.stdout), (0, "()\n"), fresh.stderr)
        # -S: no site, so no .pth and no finder; the module is imported before any overlay can act.
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); import dataclasses, ovpkg.models, fix_patch_overlay;"
            "print(fix_patch_overlay.already_imported(), [f.name for f in dataclasses.fields(ovpkg.models.Request)])"
        )
        result = subprocess.run(
            [sys.executable, "-S", "-c", code, os.path.dirname(os.path.abspath(fix_patch_overlay.__file__))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "('ovpkg.models',) ['rid', 'priority']\n")

    def test_spawn_children_use_the_overlaid_module(self):
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=_child_fields, args=(queue,))
        child.start()
        fields, registered, described = queue.get(timeout=60)
        child.join(60)
        self.assertEqual(child.exitcode, 0)
        self.assertEqual(fields, ["rid", "priority", "deadline"])
        self.assertTrue(registered)
        self.assertEqual(described, "c/1/3.0")


if __name__ == "__main__":
    unittest.main()
