import { Rng } from '/work/main/src/core/rng.ts';
import { xoroshiro128plus } from '/work/main/node_modules/pure-rand/lib/esm/pure-rand.js';
const r = new Rng(9000000);
let s=0, lo=0; const N=1e6;
for (let i=0;i<N;i++){const u=r.uniform(); s+=u; if(u<0.5) lo++;}
console.log(s/N, lo/N);
const g = xoroshiro128plus(1); const xs=[]; for(let i=0;i<5;i++) xs.push(g.unsafeNext()); console.log(xs);
let c=0; for (let seed=9000000; seed<9004000; seed++){ const q=new Rng(seed); if(q.uniform()<0.5) c++; } console.log('first draw <0.5 frac', c/4000);
