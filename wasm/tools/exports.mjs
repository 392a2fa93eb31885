// exports.mjs DIR — print the -sEXPORTED_FUNCTIONS list for emcc: every public
// function declared in the headers under DIR (a line "type sk_name(" at the
// start of a declaration), plus the allocator the JS glue needs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function headers(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return headers(path);
    return name.endsWith('.h') ? [path] : [];
  });
}

const names = new Set(['malloc', 'free']);
const decl = /^[A-Za-z_][\w\s\*]*?\b(sk_[a-z0-9_]+)\s*\(/gm;
for (const file of headers(process.argv[2])) {
  for (const match of readFileSync(file, 'utf8').matchAll(decl)) names.add(match[1]);
}
console.log([...names].sort().map((n) => '_' + n).join(','));
