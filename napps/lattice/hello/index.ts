import { defineNApp } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { helloMachine } from './machine.js';
import { routes } from './routes.js';
import { defaults, type HelloSettings } from './settings.js';

export default defineNApp<HelloSettings>({
  manifest,
  settings: defaults,
  subscriptions: ['kytos/core\\.switch\\.new'],
  machine: helloMachine,
  routes,
  openapi: new URL('./openapi.yml', import.meta.url),
  setup: (ctx) => {
    ctx.log.info('hello NApp ready');
  },
});
