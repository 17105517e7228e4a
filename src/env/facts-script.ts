/**
 * The one Python program patchkit runs in a target interpreter, always under `-S` (no site module:
 * no site-packages on sys.path and no `.pth` import line executed). Stdlib only.
 *
 * Under -S, site.venv() has not run, so a venv's sys.prefix is still the base prefix. The script
 * repeats what site.venv() does without calling it (it processes .pth files): find pyvenv.cfg
 * beside the executable or one directory up, read include-system-site-packages, and take the
 * venv prefix as the executable's parent directory. It then asks site.getsitepackages() for the
 * prefixes site.main() would use, so distribution patches (Debian's dist-packages) apply.
 *
 * Before importing anything that is not already loaded, it drops '' (the current directory) and
 * PYTHONPATH entries from sys.path, so a stray json.py or sysconfig.py there cannot run.
 */
export const FACTS_SCRIPT = String.raw`
import sys, os
base_sys_path = list(sys.path)
_env_path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
_env_abs = set(_env_path) | set(os.path.abspath(p) for p in _env_path)
sys.path[:] = [p for p in base_sys_path if p and p not in _env_abs]
import json, site, sysconfig
import importlib.machinery

exe = os.path.abspath(sys.executable)
exe_dir = os.path.dirname(exe)
venv = None
system_site = True
for cfg in (os.path.join(exe_dir, "pyvenv.cfg"), os.path.join(os.path.dirname(exe_dir), "pyvenv.cfg")):
    if os.path.isfile(cfg):
        venv = os.path.dirname(exe_dir)  # site.venv(): the prefix is always the executable's parent
        with open(cfg, encoding="utf-8") as f:
            for line in f:
                if "=" in line:
                    key, _, value = line.partition("=")
                    if key.strip().lower() == "include-system-site-packages":
                        system_site = value.strip().lower() == "true"
        break

default_paths = sysconfig.get_paths()
if venv:
    scheme = "venv" if "venv" in sysconfig.get_scheme_names() else "posix_prefix"
    env_paths = sysconfig.get_paths(scheme=scheme, vars={"base": venv, "platbase": venv})
else:
    env_paths = default_paths

def existing(dirs):
    out = []
    for d in dirs:
        if d not in out and os.path.isdir(d):
            out.append(d)
    return out

# site.main(): venv() adds the venv's site dirs first, then the user site, then PREFIXES' site dirs.
base_prefixes = list(site.PREFIXES)
first = []
if venv:
    saved = sys.prefix, sys.exec_prefix
    sys.prefix = sys.exec_prefix = venv  # what site.venv() sets; Debian's getsitepackages() checks it
    first = site.getsitepackages([venv])
    rest = site.getsitepackages([venv] + base_prefixes) if system_site else []
    sys.prefix, sys.exec_prefix = saved
else:
    rest = site.getsitepackages(base_prefixes)

user_site = site.getusersitepackages()
user_enabled = bool(site.check_enableusersite()) and (venv is None or system_site)
site_dirs = existing(first + ([user_site] if user_enabled else []) + rest)

# gh-113659: newer site.py skip .pth names starting with '.'; 3.11.7 and Debian's 3.11 do not.
try:
    with open(site.__file__, encoding="utf-8") as f:
        site_source = f.read()
    pth_skips_hidden = 'name.startswith(".")' in site_source or "name.startswith('.')" in site_source
except OSError:
    pth_skips_hidden = sys.version_info >= (3, 13)

print(json.dumps({
    "executable": exe,
    "version": "%d.%d.%d" % sys.version_info[:3],
    "versionInfo": list(sys.version_info[:2]),
    "implementation": sys.implementation.name,
    "prefix": venv or sys.prefix,
    "basePrefix": sys.base_prefix,
    "venv": venv,
    "includeSystemSitePackages": system_site,
    "baseSysPath": base_sys_path,
    "stdlib": default_paths["stdlib"],
    "platstdlib": default_paths["platstdlib"],
    "purelib": env_paths["purelib"],
    "platlib": env_paths["platlib"],
    "siteDirs": site_dirs,
    "userSite": user_site,
    "userSiteEnabled": user_enabled,
    "extensionSuffixes": importlib.machinery.EXTENSION_SUFFIXES,
    "pthSkipsHidden": pth_skips_hidden,
}))
`;
