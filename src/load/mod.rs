//! The first stage: everything read from the site folder, checked and located. `config.toml`
//! and flags become [`settings::Settings`], the scraped profile a [`profile::Profile`], the
//! bibliography files a [`sources::Bibliography`], the `content/` folder a
//! [`content::Content`]. Only this stage (and the theme loader, and the
//! output sink) reads the disk.

pub mod categories;
pub mod content;
pub mod ids;
pub mod profile;
pub mod settings;
pub mod source;
pub mod sources;
