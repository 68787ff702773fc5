/** The grammar proof (grammar-suite.ts) for quotes: a file of its own so it runs beside the others. */
import { grammarSuite, PAYLOAD_GROUPS } from "./grammar-suite.js";

grammarSuite(PAYLOAD_GROUPS.quotes);
