#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install` through the prepare script) so start-up stays fast.
import { run } from "../dist/cli/main.js";
run(process.argv).then((code) => { process.exitCode = code; });
