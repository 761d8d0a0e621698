// How a captured body is shown: pretty JSON, XML or form data, images, text, or a hex dump of binary bytes.
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };

function bytesOf(body) {
  if (body.encoding === "text") return new TextEncoder().encode(body.text);
  const raw = atob(body.base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export function hexDump(bytes) {
  const lines = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.slice(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, "0")).join(" ").padEnd(48);
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${off.toString(16).padStart(8, "0")}  ${hex}  ${ascii}`);
  }
  return lines.join("\n");
}

function prettyXml(text) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  if (doc.querySelector("parsererror")) return text;
  const lines = [];
  const walk = (node, depth) => {
    const pad = "  ".repeat(depth);
    if (node.nodeType === Node.TEXT_NODE) { if (node.textContent.trim()) lines.push(pad + node.textContent.trim()); return; }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const attrs = [...node.attributes].map((a) => ` ${a.name}="${a.value}"`).join("");
    if (!node.childNodes.length) { lines.push(`${pad}<${node.nodeName}${attrs}/>`); return; }
    lines.push(`${pad}<${node.nodeName}${attrs}>`);
    node.childNodes.forEach((c) => walk(c, depth + 1));
    lines.push(`${pad}</${node.nodeName}>`);
  };
  walk(doc.documentElement, 0);
  return lines.join("\n");
}

/** A DOM node showing {@code body} (the API's body object) by its content type. */
export function renderBody(body) {
  const type = (body.content_type || "").toLowerCase();
  if (type.startsWith("image/") && !body.truncated) {
    const img = el("img", "body");
    const b64 = body.encoding === "base64" ? body.base64 : btoa(unescape(encodeURIComponent(body.text)));
    img.src = `data:${type.split(";")[0]};base64,${b64}`;
    return img;
  }
  if (body.encoding !== "text") return el("pre", "body hex", hexDump(bytesOf(body)));
  let text = body.text;
  try {
    if (type.includes("json") && !body.truncated) text = JSON.stringify(JSON.parse(text), null, 2);
    else if (type.includes("xml") && !body.truncated) text = prettyXml(text);
    else if (type.includes("x-www-form-urlencoded")) {
      text = [...new URLSearchParams(text)].map(([k, v]) => `${k} = ${v}`).join("\n");
    }
  } catch (e) {
    // not what its type says: show it as it is
  }
  return el("pre", "body", text);
}
