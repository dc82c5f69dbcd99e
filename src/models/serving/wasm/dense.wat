;; One dense layer of the serving forward pass (src/models/serving/lean-network.ts), with 128-bit SIMD.
;; out[j] = f32(act(b[j] + sum over i in [from, to) of x[i] * w[i][j])), the sum in f64 in input order, lanes over
;; outputs j: the same arithmetic as LeanNetwork's JS loops, two outputs per instruction, no bounds checks per
;; element. Layout (bytes, set by the caller): x f32[n]; w f32[n][m] row-major; b f64[m]; out f32[m];
;; ranges i32[2] per group: blocks of 8 outputs, then one group per remaining output (as in lean-network.ts).
(module
  (memory (export "memory") 1)
  (func (export "layer")
    (param $x i32) (param $w i32) (param $b i32) (param $out i32) (param $ranges i32)
    (param $n i32) (param $m i32) (param $relu i32)
    (local $j i32) (local $g i32) (local $i i32) (local $to i32) (local $wp i32) (local $row i32)
    (local $xi f64) (local $xv v128) (local $zero v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f64)
    (local.set $row (i32.shl (local.get $m) (i32.const 2)))
    ;; blocks of 8 outputs: four f64x2 running sums
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.gt_s (i32.add (local.get $j) (i32.const 8)) (local.get $m)))
        (local.set $a0 (v128.load offset=0 (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $i (i32.load offset=0 (i32.add (local.get $ranges) (i32.shl (local.get $g) (i32.const 3)))))
        (local.set $to (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $g) (i32.const 3)))))
        (local.set $wp (i32.add (local.get $w)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $j)) (i32.const 2))))
        (block $inputs_done
          (loop $inputs
            (br_if $inputs_done (i32.ge_s (local.get $i) (local.get $to)))
            (local.set $xi (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))
            ;; a ReLU's zeros (about half of a hidden layer) add nothing
            (if (f64.ne (local.get $xi) (f64.const 0))
              (then
                (local.set $xv (f64x2.splat (local.get $xi)))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $xv) (f64x2.promote_low_f32x4 (v128.load64_zero offset=0 (local.get $wp))))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $xv) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $wp))))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $xv) (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $wp))))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $xv) (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $wp))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $wp (i32.add (local.get $wp) (local.get $row)))
            (br $inputs)))
        ;; ReLU as the JS does it: s < 0 ? 0 : s (keeps -0 and NaN)
        (if (local.get $relu)
          (then
            (local.set $a0 (v128.bitselect (local.get $zero) (local.get $a0) (f64x2.lt (local.get $a0) (local.get $zero))))
            (local.set $a1 (v128.bitselect (local.get $zero) (local.get $a1) (f64x2.lt (local.get $a1) (local.get $zero))))
            (local.set $a2 (v128.bitselect (local.get $zero) (local.get $a2) (f64x2.lt (local.get $a2) (local.get $zero))))
            (local.set $a3 (v128.bitselect (local.get $zero) (local.get $a3) (f64x2.lt (local.get $a3) (local.get $zero))))))
        (v128.store64_lane offset=0 0 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $a0)))
        (v128.store64_lane offset=8 0 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $a1)))
        (v128.store64_lane offset=16 0 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $a2)))
        (v128.store64_lane offset=24 0 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $a3)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $blocks)))
    ;; the remaining outputs one by one
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_s (local.get $j) (local.get $m)))
        (local.set $s (f64.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $i (i32.load offset=0 (i32.add (local.get $ranges) (i32.shl (local.get $g) (i32.const 3)))))
        (local.set $to (i32.load offset=4 (i32.add (local.get $ranges) (i32.shl (local.get $g) (i32.const 3)))))
        (local.set $wp (i32.add (local.get $w)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $j)) (i32.const 2))))
        (block $inputs_done
          (loop $inputs
            (br_if $inputs_done (i32.ge_s (local.get $i) (local.get $to)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul
                (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
                (f64.promote_f32 (f32.load (local.get $wp))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $wp (i32.add (local.get $wp) (local.get $row)))
            (br $inputs)))
        (if (i32.and (local.get $relu) (f64.lt (local.get $s) (f64.const 0)))
          (then (local.set $s (f64.const 0))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $s)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $tail)))))
