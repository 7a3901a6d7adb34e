/**
 * The import direction of DESIGN.md, enforced by `npm run lint`.
 * Leaves (errors, model, openflow) import nothing of ours; layers point down;
 * only src/main.ts knows every part; NApps see the SDK alone and never each other.
 */
const ours = '^(src|actors|napps)/';
/** npm packages a NApp may import besides the SDK. */
const NAPP_PACKAGES = '^node_modules/(xstate)/';
const notIn = (...allowed) => `^(?!(${allowed.join('|')}))(src|actors|napps)/`;

module.exports = {
  forbidden: [
    { name: 'leaf-errors', severity: 'error', comment: 'src/errors imports nothing of ours',
      from: { path: '^src/errors/' }, to: { path: notIn('src/errors/') } },
    { name: 'leaf-model', severity: 'error', comment: 'src/model imports nothing of ours',
      from: { path: '^src/model/' }, to: { path: notIn('src/model/') } },
    { name: 'leaf-openflow', severity: 'error', comment: 'src/openflow imports nothing of ours',
      from: { path: '^src/openflow/' }, to: { path: notIn('src/openflow/') } },
    { name: 'leaf-metrics', severity: 'error', comment: 'src/metrics imports nothing of ours (the declarations and registry are a leaf every layer may count into)',
      from: { path: '^src/metrics/' }, to: { path: notIn('src/metrics/') } },
    { name: 'config', severity: 'error', comment: 'src/config may import errors only',
      from: { path: '^src/config/' }, to: { path: notIn('src/config/', 'src/errors/') } },
    { name: 'actor', severity: 'error', comment: 'src/actor may import errors and config',
      from: { path: '^src/actor/' }, to: { path: notIn('src/actor/', 'src/errors/', 'src/config/') } },
    { name: 'store', severity: 'error', comment: 'src/store may import errors, the clock and the keyed mutex (leaf modules of src/actor) only (and mongodb, lmdb, msgpackr, async-mutex)',
      from: { path: '^src/store/' }, to: { path: notIn('src/store/', 'src/errors/', 'src/actor/clock\\.ts$', 'src/actor/locks\\.ts$') } },
    { name: 'southbound', severity: 'error', comment: 'src/southbound may import actor, openflow, errors',
      from: { path: '^src/southbound/' }, to: { path: notIn('src/southbound/', 'src/actor/', 'src/openflow/', 'src/errors/') } },
    { name: 'http', severity: 'error', comment: 'src/http may import actor, errors and metrics',
      from: { path: '^src/http/' }, to: { path: notIn('src/http/', 'src/actor/', 'src/errors/', 'src/metrics/') } },
    { name: 'auth', severity: 'error', comment: 'src/auth may import errors, the clock, the store port and the HTTP request (its types, headerOf; no server, no platform)',
      from: { path: '^src/auth/' }, to: { path: notIn('src/auth/', 'src/errors/', 'src/actor/clock\\.ts$', 'src/store/ports\\.ts$', 'src/http/types\\.ts$', 'src/http/request\\.ts$', 'src/http/loopback\\.ts$') } },
    { name: 'cli', severity: 'error', comment: 'src/cli is a REST client: it imports nothing of ours outside src/cli (the SDK\'s types at most); import-kytos.ts, which writes the store with the controller stopped, is the one exception',
      from: { path: '^src/cli/', pathNot: '^src/cli/import-kytos\\.ts$' }, to: { path: notIn('src/cli/', 'src/sdk/') } },
    { name: 'cli-types-only', severity: 'error', comment: 'what src/cli takes from the SDK is types, never code',
      from: { path: '^src/cli/', pathNot: '^src/cli/import-kytos\\.ts$' }, to: { path: '^src/sdk/', dependencyTypesNot: ['type-only'] } },
    { name: 'not-cli', severity: 'error', comment: 'nothing of the controller imports the CLI',
      from: { path: ours, pathNot: '^src/cli/' }, to: { path: '^src/cli/' } },
    { name: 'sdk', severity: 'error', comment: 'src/sdk may import the layers below it, never main.ts (the test kit excepted) nor NApps',
      from: { path: '^src/sdk/', pathNot: '^src/sdk/test-kit\\.ts$' }, to: { path: '^(src/main\\.ts|actors/|napps/)' } },
    { name: 'src-not-napps', severity: 'error', comment: 'src/ never imports napps/ (only main.ts wires actors/)',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' }, to: { path: '^(napps|actors)/' } },
    { name: 'actors', severity: 'error', comment: 'actors/ may import src/sdk and src/openflow; the switch actor also the southbound protocol it implements (declared once there)',
      from: { path: '^actors/' }, to: { path: notIn('actors/', 'src/sdk/', 'src/openflow/', 'src/southbound/actor-protocol\\.ts$') } },
    { name: 'napps-sdk-only', severity: 'error', comment: 'a NApp reaches the platform through the SDK package path (#sdk) only, never a relative path into src/ or actors/',
      from: { path: '^napps/' }, to: { path: '^(src|actors)/', dependencyTypesNot: ['aliased-subpath-import'] } },
    { name: 'napps-sdk-entry', severity: 'error', comment: 'the SDK package path a NApp imports is the public barrel (#sdk), not the test kit or internals',
      from: { path: '^napps/' }, to: { path: '^(src/(?!sdk/index\\.ts$)|actors/)' } },
    { name: 'napps-npm-allowlist', severity: 'error', comment: 'a NApp imports only the npm packages listed here',
      from: { path: '^napps/' }, to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: NAPP_PACKAGES } },
    { name: 'napps-resolvable', severity: 'error', comment: 'every NApp import resolves (an unresolved #sdk would make the rules above vacuous)',
      from: { path: '^napps/' }, to: { couldNotResolve: true } },
    { name: 'napps-isolated', severity: 'error', comment: 'NApps never import each other',
      from: { path: '^napps/([^/]+/[^/]+)/' }, to: { path: '^napps/', pathNot: '^napps/$1/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not excluded (only not followed), so the NApp package allowlist sees npm imports.
    exclude: { path: '^(dist|test|load-tests|scripts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      // '#sdk' resolves through package.json "imports" to the SDK's sources, as under the dev loader.
      conditionNames: ['lattice-source', 'import', 'node', 'default'],
    },
  },
};
