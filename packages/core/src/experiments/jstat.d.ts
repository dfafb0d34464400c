/** The few jStat distributions the experiment statistics use (the package ships no types). */
declare module "jstat" {
  interface Distribution2 {
    pdf(x: number, a: number, b: number): number;
    cdf(x: number, a: number, b: number): number;
    inv(p: number, a: number, b: number): number;
  }
  const jstat: {
    jStat: {
      beta: Distribution2;
      normal: Distribution2;
    };
  };
  export default jstat;
}
