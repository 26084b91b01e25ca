// A Prisma Client generated from the exported schema, on a database built by `migrate`:
//   DATABASE_URL=... tsx roundtrip.mjs SCHEMA CLIENT
// SCHEMA is the exported schema.prisma, CLIENT the generated client's client.ts. The
// URL comes from the environment (and the password from PGPASSWORD, as libpq does).
//
// For every model, in an order where the rows a relation needs come first: create a
// row with every writable scalar field set and every relation connected to the row of
// the model it refers to; read it back with every relation included and compare;
// update a field; then delete every row, the rows that refer to others first. Prints
// one JSON object with what was done; any error stops it with a non-zero exit.
import { readFileSync } from "node:fs";
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import wasm from "@prisma/prisma-schema-wasm";

const [schemaPath, clientPath] = process.argv.slice(2);
const schema = readFileSync(schemaPath, "utf8");
const params = JSON.stringify({ prismaSchema: [["schema.prisma", schema]], noColor: true });
const { models, enums } = JSON.parse(wasm.get_dmmf(params)).datamodel;
const byName = new Map(models.map((model) => [model.name, model]));
const labels = new Map(enums.map((e) => [e.name, e.values.map((value) => value.name)]));

const { PrismaClient } = await import(pathToFileURL(clientPath).href);
const prisma = new PrismaClient({
  adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});

/** The client's accessor of a model: `prisma.studyGoal`, `prisma.conflicts`. */
const delegate = (model) => prisma[model.name[0].toLowerCase() + model.name.slice(1)];
const forward = (model) => model.fields.filter((f) => f.kind === "object" && f.relationFromFields.length);
const backward = (model) => model.fields.filter((f) => f.kind === "object" && !f.relationFromFields.length);
/** Scalar fields a create can set: not the generated id, not a foreign key column. */
const writable = (model) =>
  model.fields.filter((f) => f.kind !== "object" && !f.isReadOnly && !f.isUpdatedAt && !f.isId);

/** A value of field `field`, different for `variant` 0 (create) and 1 (update). */
function value(model, field, variant) {
  const one = (() => {
    switch (field.kind === "enum" ? "enum" : field.type) {
      case "enum": {
        const values = labels.get(field.type);
        return values[variant ? values.length - 1 : 0];
      }
      case "String": return `${model.name}.${field.name}.${variant}`;
      case "Int": return 7 + variant;
      case "BigInt": return BigInt(7 + variant);
      case "Float": return 2.5 + variant;
      case "Decimal": return `${1.5 + variant}`;
      case "Boolean": return variant === 0;
      case "DateTime": return new Date(Date.UTC(2024, 0, 2 + variant, 3, 4, 5, 678));
      case "Json": return { variant, list: [1, "two", null], nested: { ok: true } };
      case "Bytes": return new Uint8Array([variant, 1, 2]);
      default: throw new Error(`${model.name}.${field.name}: no test value for ${field.type}`);
    }
  })();
  return field.isList ? [one] : one;
}

/** A comparable form of what was written or read: dates as ISO text, the rest as JSON. */
const plain = (v) => JSON.parse(JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x)));

/** Models ordered so that each comes after the models its relations refer to. An optional
 * relation that would close a cycle is left out (and then not connected). */
function creationOrder() {
  const order = [];
  const state = new Map();
  const visit = (model) => {
    if (state.get(model.name) === "done") return;
    state.set(model.name, "visiting");
    for (const field of forward(model)) {
      const target = byName.get(field.type);
      if (target === model || state.get(target.name) === "done") continue;
      if (state.get(target.name) === "visiting") {
        if (field.isRequired) throw new Error(`required relations form a cycle at ${model.name}.${field.name}`);
        continue;
      }
      visit(target);
    }
    state.set(model.name, "done");
    order.push(model);
  };
  [...models].sort((a, b) => a.name.localeCompare(b.name)).forEach(visit);
  return order;
}

const order = creationOrder();
const rows = new Map(); // model name -> {id, data}
const report = { models: models.length, created: [], read: [], updated: [], deleted: [] };

for (const model of order) {
  const data = Object.fromEntries(writable(model).map((f) => [f.name, value(model, f, 0)]));
  for (const field of forward(model)) {
    const target = rows.get(field.type);
    if (target) data[field.name] = { connect: { id: target.id } };
    else ok(!field.isRequired, `${model.name}.${field.name}: ${field.type} has no row yet`);
  }
  const created = await delegate(model).create({ data });
  rows.set(model.name, { id: created.id, data });
  report.created.push(model.name);
}

for (const model of order) {
  const { id, data } = rows.get(model.name);
  const include = Object.fromEntries(model.fields.filter((f) => f.kind === "object").map((f) => [f.name, true]));
  const found = await delegate(model).findUnique({ where: { id }, include });
  ok(found, `${model.name} ${id} was not found`);
  for (const field of writable(model)) {
    deepStrictEqual(plain(found[field.name]), plain(data[field.name]), `${model.name}.${field.name} read back`);
  }
  for (const field of forward(model)) {
    const target = rows.get(field.type);
    if (target) strictEqual(found[field.name]?.id, target.id, `${model.name}.${field.name} included`);
  }
  for (const field of backward(model)) {
    // The one row of the model on the other side refers to this row, if it connected.
    const other = byName.get(field.type);
    const side = other.fields.find((f) => f.relationName === field.relationName && f.relationFromFields.length);
    const referring = rows.get(other.name);
    const expected = referring && referring.data[side.name] ? [referring.id] : [];
    const included = found[field.name];
    const ids = Array.isArray(included) ? included.map((row) => row.id) : included ? [included.id] : [];
    deepStrictEqual(ids, expected, `${model.name}.${field.name} included`);
  }
  report.read.push(model.name);
}

for (const model of order) {
  // A scalar field if the model has one to change, else a relation, connected again.
  const { id } = rows.get(model.name);
  const field = writable(model).find((f) => !f.isUnique) ?? writable(model)[0];
  if (field) {
    const changed = value(model, field, 1);
    const updated = await delegate(model).update({ where: { id }, data: { [field.name]: changed } });
    deepStrictEqual(plain(updated[field.name]), plain(changed), `${model.name}.${field.name} updated`);
    report.updated.push(`${model.name}.${field.name}`);
  } else {
    const relation = forward(model)[0];
    const target = rows.get(relation.type).id;
    const data = { [relation.name]: { connect: { id: target } } };
    const updated = await delegate(model).update({ where: { id }, data, include: { [relation.name]: true } });
    strictEqual(updated[relation.name].id, target, `${model.name}.${relation.name} updated`);
    report.updated.push(`${model.name}.${relation.name}`);
  }
}

for (const model of [...order].reverse()) {
  const { id } = rows.get(model.name);
  await delegate(model).delete({ where: { id } });
  strictEqual(await delegate(model).count(), 0, `${model.name} still has rows`);
  report.deleted.push(model.name);
}

await prisma.$disconnect();
process.stdout.write(JSON.stringify(report));
