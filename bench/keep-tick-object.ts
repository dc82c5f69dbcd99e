/**
 * Preloaded by bench/http.ts and bench/http-instructions.ts into every server they start (the ceiling and the route
 * alone too, which do not run buildApp): src/http/keep-tick-object.ts says why. Without it the ceiling could run
 * the slow path the service avoids (and under Valgrind's timing every server would), flattering the ratios.
 */
import { keepTickObjectAlive } from '../src/http/keep-tick-object.js';

keepTickObjectAlive();
