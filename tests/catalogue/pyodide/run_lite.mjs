// xlwings Lite's Python side, under Node: Pyodide from the `pyodide` npm package, no network.
// Reads a JSON job (argv[2]): the Pyodide folder, wheels to preinstall (micropip, packaging,
// xlwings), the roi-xl wheel built from the checkout, Lite's main.py and requirements.txt, and
// custom-function calls shaped as Office.js sends them. Prints one JSON line: the functions'
// metadata, each call's result, what got installed and imported, and any fetch attempted.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { loadPyodide } = await import(
  pathToFileURL(path.join(job.pyodide_dir, "node_modules/pyodide/pyodide.mjs")).href
);
const pyodide = await loadPyodide({ stdout: (s) => console.error(s), stderr: (s) => console.error(s) });

// No network: every fetch is refused and recorded (micropip would reach PyPI through it).
const fetches = [];
globalThis.fetch = async (url) => {
  fetches.push(String(url));
  throw new Error(`no network in this test: ${url}`);
};

const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const wheel of job.preinstall) {
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: sitePackages });
}
const roiWheel = "/tmp/" + path.basename(job.roi_wheel);
pyodide.FS.writeFile(roiWheel, new Uint8Array(fs.readFileSync(job.roi_wheel)));

pyodide.globals.set("job_json", JSON.stringify({ ...job, roi_wheel: roiWheel }));
const out = await pyodide.runPythonAsync(`
import json, os, sys, types
job = json.loads(job_json)
# As xlwings Lite sets up its Python: xlwings' decorators make Office.js custom functions.
os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
import micropip
await micropip.install("emfs:" + job["roi_wheel"])
# Lite installs requirements.txt with micropip: every line must be satisfied now, offline.
requirements = [line.split("#")[0].strip() for line in job["requirements"].splitlines()]
await micropip.install([r for r in requirements if r])
# Lite loads main.py as the module "main" and registers the custom functions it holds.
main = types.ModuleType("main")
exec(compile(job["main_py"], "main.py", "exec"), main.__dict__)
sys.modules["main"] = main
import xlwings.server
meta = xlwings.server.custom_functions_meta(main)
results = []
for data in job["calls"]:
    try:
        results.append({"value": await xlwings.server.custom_functions_call(data, main)})
    except Exception as exc:
        results.append({"exception": repr(exc)})
import importlib.metadata
json.dumps({
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "meta": meta,
    "results": results,
    "installed": sorted(d.metadata["Name"].lower() for d in importlib.metadata.distributions()),
    "modules": sorted({m.split(".")[0] for m in sys.modules}),
})
`);
const result = JSON.parse(out);
result.fetches = fetches;
console.log(JSON.stringify(result));
