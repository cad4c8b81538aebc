export { buildDemoModel, DEMO_SEED, type DemoModel } from './demo.data.js';
export { type DemoLogin, DemoRefusedError, type DemoResult, loadDemo, randomPassword } from './demo.js';
