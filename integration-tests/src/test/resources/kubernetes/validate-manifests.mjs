// Validates the Deployment and Service of a generated kubernetes.json against the Kubernetes API schemas, as the
// npm package kubernetes-models carries them; prints one line per resource, exits 1 when any is invalid.
import fs from 'node:fs';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';

const models = { Deployment, Service };
const parsed = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const resources = Array.isArray(parsed) ? parsed : (parsed.items ?? [parsed]);
let invalid = 0;
for (const resource of resources) {
  const Model = models[resource.kind];
  if (!Model) {
    console.log(`not checked: ${resource.kind}`);
    continue;
  }
  try {
    new Model(resource).validate();
    console.log(`valid: ${resource.kind} ${resource.metadata.name}`);
  } catch (error) {
    invalid++;
    console.log(`invalid: ${resource.kind} ${resource.metadata.name}: ${error.message}`);
  }
}
process.exit(invalid ? 1 : 0);
