/** The grammar proof (grammar-suite.ts) for Go templates, shell and Terraform syntax: a file of its own so it runs beside the others. */
import { grammarSuite, PAYLOAD_GROUPS } from "./grammar-suite.js";

grammarSuite(PAYLOAD_GROUPS.code);
