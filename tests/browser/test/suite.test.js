// The browser suite, in one process so the sites are built and Chromium is
// started once: see ../README.md (section "Tests") and lib/env.js.
import { after } from 'node:test';
import { teardown } from '../lib/env.js';
import './walk.js';
import './a11y.js';
import './valid.js';
import './phone.js';
import './print.js';
import './search.js';
import './search_phone.js';

after(teardown);
