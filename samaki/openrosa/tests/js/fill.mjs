// Plays ODK Web Forms against a Samaki server: formList, form download, fill, HEAD, POST.
// The form engine is ODK's own (@getodk/xforms-engine); this harness does the transport, which
// the engine leaves to its client. Usage: node fill.mjs <server URL> <device token> <village code>
import { JSDOM } from "jsdom";

const [server, token, village] = process.argv.slice(2);
const { window } = new JSDOM("");
for (const name of ["DOMParser", "XMLSerializer", "Node", "Document", "Element", "XPathResult", "NodeFilter", "document"]) {
  globalThis[name] ??= window[name];
}
globalThis.__dirname ??= process.cwd();
const { createInstance } = await import("@getodk/xforms-engine");

const auth = "Basic " + Buffer.from(`phone:${token}`).toString("base64");
const headers = { Authorization: auth, "X-OpenRosa-Version": "1.0" };

const list = await (await fetch(`${server}/openrosa/formList`, { headers })).text();
const entry = [...list.matchAll(/<xform>(.*?)<\/xform>/gs)]
  .map((m) => m[1])
  .find((x) => x.includes("<formID>samaki_person_registration</formID>"));
const downloadUrl = entry.match(/<downloadUrl>(.*?)<\/downloadUrl>/)[1];
const xml = await (await fetch(downloadUrl, { headers })).text();

const instance = await createInstance(xml);
const root = instance.root;

function* walk(node) {
  yield node;
  for (const child of node.currentState.children ?? []) yield* walk(child);
}
function field(name) {
  for (const node of walk(root)) {
    if (node.definition?.nodeset?.endsWith(`/${name}`)) return node;
  }
  throw new Error(`no field ${name}`);
}
field("consent").selectValue("yes");
field("name_km").setValue("ស្រីពៅ");
field("name_latin").setValue("Srey Pov");
field("sex").selectValue("female");
field("birth_year").setValue("1995");
field("village_code").setValue(village);
field("wg_seeing").selectValue("3");

const head = await fetch(`${server}/openrosa/submission`, { method: "HEAD", headers });
if (head.status !== 204) throw new Error(`HEAD answered ${head.status}`);
const payload = await root.prepareInstancePayload({ payloadType: "monolithic" });
if (payload.status !== "ready") throw new Error(`payload ${payload.status}`);
const response = await fetch(`${server}/openrosa/submission`, {
  method: "POST",
  headers,
  body: payload.data[0],
});
console.log(JSON.stringify({ status: response.status, body: await response.text() }));
