// natural ships types only for its folder indexes; this is the one file of its stemmers callqa loads (see
// src/lexicon/prepare.ts): the same object the index exports as PorterStemmer.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  import type { Stemmer } from 'natural/lib/natural/stemmers/index.js';
  const PorterStemmer: Stemmer;
  export default PorterStemmer;
}
