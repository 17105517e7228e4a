/** The small program `patchkit demo` runs in its venv: it uses json itself and in a child interpreter. */
export const DEMO_PROGRAM = String.raw`
import json, os, subprocess, sys

text = json.dumps({"process": "parent", "pid": os.getpid()})
child = "import json, os; json.loads(json.dumps({'process': 'child', 'pid': os.getpid()}))"
subprocess.run([sys.executable, "-c", child], check=True)
print(json.loads(text)["pid"])
`;
