package keyquota.application.key;

import keyquota.application.secret.KeySecret;
import keyquota.projections.key.KeyView;

/** A key just created, with its secret: the only time the secret is shown. */
public record CreatedKey(KeyView key, KeySecret secret) {
}
