import { type AnswerResult, accept, reject } from "./result";

/**
 * Country calling codes by ISO 3166 alpha-2 code, for numbers typed without `+`. Not every
 * country: an ask whose `defaultCountry` is missing here accepts only international numbers.
 */
// biome-ignore format: a table reads better in rows
const callingCodes: Readonly<Record<string, string>> = {
  US: "1", CA: "1", GB: "44", IE: "353", FR: "33", DE: "49", ES: "34", IT: "39", PT: "351", NL: "31",
  BE: "32", LU: "352", CH: "41", AT: "43", SE: "46", NO: "47", DK: "45", FI: "358", IS: "354", PL: "48",
  CZ: "420", SK: "421", HU: "36", RO: "40", BG: "359", GR: "30", HR: "385", SI: "386", RS: "381", TR: "90",
  UA: "380", EE: "372", LV: "371", LT: "370", IL: "972", AE: "971", SA: "966", EG: "20", MA: "212", NG: "234",
  KE: "254", ZA: "27", IN: "91", PK: "92", BD: "880", CN: "86", HK: "852", TW: "886", JP: "81", KR: "82",
  SG: "65", MY: "60", TH: "66", VN: "84", PH: "63", ID: "62", AU: "61", NZ: "64", BR: "55", AR: "54",
  MX: "52", CO: "57", CL: "56", PE: "51",
};

/** Separators people type inside phone numbers. */
const SEPARATORS = /[\s().\-/]/g;

/**
 * Parses a phone number into E.164 (`+15551234567`). Accepts `+` or `00` international
 * prefixes; without them, `defaultCountry` supplies the calling code (dropping a national
 * trunk `0`, or a leading `1` for North America).
 */
export function parsePhone(text: string, defaultCountry?: string): AnswerResult {
  const compact = text.trim().replace(SEPARATORS, "");
  if (compact === "") return reject("empty phone number");
  let international: string | undefined;
  if (compact.startsWith("+")) international = compact.slice(1);
  else if (compact.startsWith("00")) international = compact.slice(2);

  if (international !== undefined) {
    if (!/^[1-9]\d{6,14}$/.test(international)) return reject("not a valid international phone number");
    return accept(`+${international}`);
  }
  if (!/^\d+$/.test(compact)) return reject("a phone number has only digits");
  const code = defaultCountry ? callingCodes[defaultCountry] : undefined;
  if (!code) return reject("include the country code, like +1 555 123 4567");

  let national = compact;
  if (code === "1") {
    if (national.length === 11 && national.startsWith("1")) national = national.slice(1);
    if (!/^[2-9]\d{9}$/.test(national)) return reject("a North American number has 10 digits");
  } else {
    if (national.startsWith("0")) national = national.slice(1);
    if (!/^[1-9]\d{3,13}$/.test(national)) return reject("not a valid phone number");
  }
  const e164 = `${code}${national}`;
  if (e164.length < 7 || e164.length > 15) return reject("not a valid phone number");
  return accept(`+${e164}`);
}
