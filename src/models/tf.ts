/**
 * The TF.js parts this service uses, under one namespace: tensors, ops and optimizers from tfjs-core, models and
 * their serialization from tfjs-layers. The umbrella `@tensorflow/tfjs` package is not used: it also pulls in the
 * converter, data and WebGL packages that nothing here needs. Importing tfjs-layers registers every op's gradient,
 * which training relies on; chained tensor methods (`t.mul(...)`) are not registered, so code calls `tf.mul(t, ...)`.
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
