/** Writes config/default.json from the declared schema (every key, its default and its doc). */
import { writeFileSync } from 'node:fs';
import { documentedDefaults } from '../src/config/index.js';

writeFileSync(new URL('../config/default.json', import.meta.url), `${JSON.stringify(documentedDefaults(), null, 2)}\n`);
console.log('config/default.json written');
