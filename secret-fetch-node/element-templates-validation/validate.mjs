// Validates every element template in the given folder against @camunda/element-templates-json-schema
// (through @bpmn-io/element-templates-validator). Exits 1, listing each error, if any is invalid.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@bpmn-io/element-templates-validator';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node validate.mjs <folder with element templates>');
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
if (files.length === 0) {
  console.error(`no element templates (*.json) in ${dir}`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  const template = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const { valid, errors } = validate(template);
  if (valid) {
    console.log(`element template ${file}: valid`);
  } else {
    failed++;
    for (const e of errors) {
      console.error(`element template ${file}: ${e.dataPath || e.instancePath || ''} ${e.message}`);
    }
  }
}
process.exit(failed === 0 ? 0 : 1);
