// Command line of the browser scripts: "--name VALUE" options over the defaults, then exactly the
// positional arguments named; anything else prints the usage and exits 2.
export function cliOptions(argv, defaults, positional, usage) {
  const opts = { ...defaults };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--') && i + 1 < argv.length) {
      opts[argv[i].slice(2)] = argv[++i];
    } else {
      rest.push(argv[i]);
    }
  }
  if (rest.length !== positional.length) {
    console.error('usage: ' + usage);
    process.exit(2);
  }
  positional.forEach((name, i) => { opts[name] = rest[i]; });
  return opts;
}
