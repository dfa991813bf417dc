//! Admin actions on the instance: the settings (name, upload limit, rate limits, registration), the home space's
//! icon, and reading the audit log.

use sha2::{Digest, Sha256};

use super::{Admin, AdminError, InstanceSettings, KEYS};
use crate::hub::{Audience, Event, intents};
use crate::store::{AuditEntry, Guild, Snowflake, User};
use crate::wire;

/// Largest icon accepted, in bytes.
pub const MAX_ICON_BYTES: usize = 1024 * 1024;

impl Admin {
    /// Validates and applies new settings: stored (winning over `spot.toml`), applied at once, and, when the
    /// name changed, the home space renamed for everyone (GUILD_UPDATE).
    pub async fn save_settings(&self, actor: &User, new: InstanceSettings) -> Result<(), AdminError> {
        Self::require(actor)?;
        let name = new.instance_name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AdminError::Invalid("the name must be 1 to 100 characters".into()));
        }
        if new.max_upload_bytes < 1024 || new.max_upload_bytes > 4 * 1024 * 1024 * 1024 {
            return Err(AdminError::Invalid(
                "the upload limit must be between 1 KiB and 4 GiB".into(),
            ));
        }
        if new.route_limit == 0 || new.global_per_second == 0 {
            return Err(AdminError::Invalid("rate limits must be at least 1".into()));
        }
        let new = InstanceSettings {
            instance_name: name,
            ..new
        };
        let before = self.settings.get();
        let changed: Vec<String> = before
            .to_stored()
            .into_iter()
            .zip(new.to_stored())
            .filter(|(old, new)| old.1 != new.1)
            .map(|(_, (key, value))| format!("{key} = {value}"))
            .collect();
        let changes = new.to_stored().into_iter().map(|(k, v)| (k, Some(v))).collect();
        let audit = (
            Some(actor.id),
            "settings.update".to_owned(),
            String::new(),
            changed.join(", "),
        );
        self.store.settings_save(changes, audit).await?;
        self.apply(new.clone());
        if new.instance_name != before.instance_name {
            let guild = self.home().await?;
            let guild = self.store.guild_update(guild.id, Some(new.instance_name), None).await?;
            self.publish_guild(&guild).await?;
        }
        Ok(())
    }

    /// Forgets the settings saved in the panel: `spot.toml`'s values apply again.
    pub async fn reset_settings(&self, actor: &User, from_file: InstanceSettings) -> Result<(), AdminError> {
        Self::require(actor)?;
        let changes = KEYS.iter().map(|k| ((*k).to_owned(), None)).collect();
        let audit = (
            Some(actor.id),
            "settings.reset".to_owned(),
            String::new(),
            "back to spot.toml".to_owned(),
        );
        self.store.settings_save(changes, audit).await?;
        self.apply(from_file);
        Ok(())
    }

    fn apply(&self, settings: InstanceSettings) {
        self.settings.set(settings);
    }

    /// Replaces the home space's icon with a PNG, JPEG, GIF or WebP image (checked by its bytes), or removes it.
    pub async fn set_icon(&self, actor: &User, image: Option<Vec<u8>>) -> Result<(), AdminError> {
        Self::require(actor)?;
        let guild = self.home().await?;
        let hash = match image {
            None => None,
            Some(bytes) => {
                if bytes.len() > MAX_ICON_BYTES {
                    return Err(AdminError::Invalid("the icon must be at most 1 MiB".into()));
                }
                let (ext, _) = crate::media::image_kind(&bytes)
                    .ok_or_else(|| AdminError::Invalid("the icon must be a PNG, JPEG, GIF or WebP image".into()))?;
                let hash = hex::encode(&Sha256::digest(&bytes)[..16]);
                let dir = self.data_dir.join("icons").join(guild.id.to_string());
                let write = async {
                    tokio::fs::create_dir_all(&dir).await?;
                    tokio::fs::write(dir.join(format!("{hash}.{ext}")), &bytes).await
                };
                write
                    .await
                    .map_err(|e| AdminError::Store(crate::store::StoreError::Io(e)))?;
                Some(hash)
            }
        };
        let removed = hash.is_none();
        let guild = self.store.guild_update(guild.id, None, Some(hash)).await?;
        self.publish_guild(&guild).await?;
        let detail = if removed { "removed" } else { "replaced" };
        self.audit(actor, "settings.icon", &guild.name, detail).await;
        Ok(())
    }

    async fn publish_guild(&self, guild: &Guild) -> Result<(), AdminError> {
        let roles = self.store.roles(guild.id).await?;
        let emojis = self.store.emojis(guild.id).await?;
        let stickers = self.store.stickers(guild.id).await?;
        let data = wire::guild(guild, &roles, &emojis, &stickers);
        self.hub.publish(Event::new(
            "GUILD_UPDATE",
            &data,
            Audience::Guild(guild.id),
            intents::GUILDS,
        ));
        Ok(())
    }

    /// A page of the audit log, newest first.
    pub async fn audit_log(
        &self,
        actor: &User,
        before: Option<Snowflake>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, AdminError> {
        Self::require(actor)?;
        Ok(self.store.audit_page(before, limit.clamp(1, 200)).await?)
    }
}
