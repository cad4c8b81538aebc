export { buildDemoModel, DEMO_SEED, type DemoModel, prng } from './demo.data.js';
export { DEMO_FORMS, type DemoForm, type DemoFormTarget } from './demo.forms.js';
export { type DemoLogin, DemoRefusedError, type DemoResult, loadDemo, randomPassword } from './demo.js';
export { shellWord, startCommand } from './start-command.js';
