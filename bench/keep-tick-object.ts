/**
 * Preloaded by bench/http-instructions.ts into every server it counts (the ceiling and the route alone too, which
 * do not run buildApp): src/http/keep-tick-object.ts says why. Without it, Valgrind's timing makes the slow path it
 * prevents systematic, and the count would measure that.
 */
import { keepTickObjectAlive } from '../src/http/keep-tick-object.js';

keepTickObjectAlive();
