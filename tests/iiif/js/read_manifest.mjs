// Reads a IIIF Presentation 3 manifest (or collection) from stdin with @iiif/parser, the
// parser IIIF viewers (Clover, Canopy, Theseus) are built on, and prints what it understood
// as JSON: the strict upgrader's warnings (anything not to the letter of the specification),
// the resource's type and label, and each canvas with its painted image and image service.
import { normalize } from "@iiif/parser";
import { presentation3StrictUpgrade } from "@iiif/parser/strict";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const resource = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const state = { warnings: [] };
if (resource.type === "Manifest") presentation3StrictUpgrade(structuredClone(resource), state);
const { entities, resource: ref } = normalize(resource);
const top = entities[ref.type][ref.id];
const canvases = [];
if (ref.type === "Manifest") {
  for (const canvasRef of top.items) {
    const canvas = entities.Canvas[canvasRef.id];
    const page = entities.AnnotationPage[canvas.items[0].id];
    const painting = entities.Annotation[page.items[0].id];
    const body = entities.ContentResource[painting.body[0].id];
    const texts = (canvas.annotations || []).flatMap((pageRef) =>
      entities.AnnotationPage[pageRef.id].items.map((a) => entities.Annotation[a.id]),
    );
    canvases.push({
      id: canvas.id,
      label: canvas.label,
      width: canvas.width,
      height: canvas.height,
      image: body.id,
      service: (body.service || []).map((s) => entities.Service?.[s.id] || s),
      texts: texts.map((a) => ({ motivation: a.motivation, body: a.body.map((b) => entities.ContentResource[b.id]) })),
    });
  }
}
console.log(JSON.stringify({
  warnings: state.warnings,
  type: ref.type,
  label: top.label,
  metadata: top.metadata,
  requiredStatement: top.requiredStatement,
  homepage: (top.homepage || []).map((h) => entities.ContentResource[h.id]?.id || h.id),
  services: (top.service || []).map((s) => s.id ? (entities.Service?.[s.id] || s) : s),
  items: ref.type === "Collection" ? top.items.map((i) => ({ id: i.id, type: i.type })) : undefined,
  canvases,
  annotations: Object.keys(entities.Annotation).length,
}));
