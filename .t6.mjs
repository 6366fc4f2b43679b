import { parseDocument, Parser, Lexer, Composer } from 'yaml';
const n = Number(process.argv[2]);
const deep = '['.repeat(n) + ']'.repeat(n);
let t=performance.now();
const tokens = [...new Lexer().lex(deep)]; console.log('lex', tokens.length, performance.now()-t);
t=performance.now(); const csts = [...new Parser().parse(deep)]; console.log('parse', performance.now()-t);
t=performance.now(); const d = parseDocument(deep); console.log('doc', d.errors.length, performance.now()-t);
t=performance.now(); d.toJS(); console.log('js', performance.now()-t);
