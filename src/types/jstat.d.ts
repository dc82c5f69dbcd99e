/** The part of jstat (MIT, CommonJS, no bundled types) the statistics use: Student's t distribution. */
declare module 'jstat' {
  interface StudentT {
    /** P(T <= x) for T ~ t(dof). */
    cdf(x: number, dof: number): number;
    /** The p-quantile of t(dof). */
    inv(p: number, dof: number): number;
  }
  const jstat: { readonly jStat: { readonly studentt: StudentT } };
  export default jstat;
}
