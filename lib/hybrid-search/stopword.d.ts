// The stopword package ships no types; these are the lists analyze.ts takes from it.
declare module "stopword" {
  export const eng: string[];
  export const zho: string[];
  export const jpn: string[];
}
