/**
 * The project's public home, defined once: package.json's repository/homepage/bugs, the JSON
 * Schemas' $id, SARIF's informationUri and every documentation link in findings derive from it.
 * (A test keeps package.json in step with these constants.)
 */
import { version } from "./version.js";

export const PROJECT_URL = "https://github.com/tollgate-dev/tollgate";

/**
 * Where this version's docs are browsable: the release tag (v<package version>), so a link in a
 * report says what the running version does, not what the default branch says today.
 */
export const DOCS_BASE_URL = `${PROJECT_URL}/blob/v${version()}/docs`;

/** A link to a documentation page, optionally to one heading (GitHub's anchor rules: lower case, dashes). */
export function docsUrl(page: string, anchor?: string): string {
  return `${DOCS_BASE_URL}/${page}${
    anchor
      ? `#${anchor
          .toLowerCase()
          .replace(/[^a-z0-9_ -]/g, "")
          .replace(/ /g, "-")}`
      : ""
  }`;
}
