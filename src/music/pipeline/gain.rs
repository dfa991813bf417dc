//! Volume with a ramp: a change of level (volume command, pause, skip) glides over 10 ms instead of jumping,
//! so it never clicks.

/// Frames a level change takes (10 ms at 48 kHz).
pub const RAMP_FRAMES: usize = 480;

/// A stereo gain stage: the volume people chose, and a fade to silence (pause, skip) that returns to it.
#[derive(Debug, Clone)]
pub struct Gain {
    current: f32,
    target: f32,
    step: f32,
    level: f32,
}

impl Gain {
    /// A gain starting at `level` (1.0 = unchanged).
    pub fn new(level: f32) -> Self {
        let level = level.clamp(0.0, 2.0);
        Self {
            current: level,
            target: level,
            step: 0.0,
            level,
        }
    }

    /// Sets the volume and glides to it over [`RAMP_FRAMES`].
    pub fn set(&mut self, level: f32) {
        self.level = level.clamp(0.0, 2.0);
        self.glide_to(self.level);
    }

    /// Sets the volume without sound (while faded out): it applies at the next [`Gain::restore`].
    pub fn remember(&mut self, level: f32) {
        self.level = level.clamp(0.0, 2.0);
    }

    /// Glides to silence, keeping the volume for [`Gain::restore`].
    pub fn fade(&mut self) {
        self.glide_to(0.0);
    }

    /// Glides back to the volume.
    pub fn restore(&mut self) {
        self.glide_to(self.level);
    }

    /// The volume people chose.
    pub fn level(&self) -> f32 {
        self.level
    }

    fn glide_to(&mut self, target: f32) {
        self.target = target;
        self.step = (self.target - self.current) / RAMP_FRAMES as f32;
    }

    /// Applies the gain to interleaved stereo frames in place.
    pub fn apply(&mut self, frames: &mut [f32]) {
        for frame in frames.chunks_exact_mut(2) {
            if self.current != self.target {
                self.current += self.step;
                let passed =
                    (self.step > 0.0 && self.current > self.target) || (self.step < 0.0 && self.current < self.target);
                if passed || self.step == 0.0 {
                    self.current = self.target;
                }
            }
            frame[0] = (frame[0] * self.current).clamp(-1.0, 1.0);
            frame[1] = (frame[1] * self.current).clamp(-1.0, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_of_level_has_no_step() {
        let mut gain = Gain::new(1.0);
        let mut frames = vec![1.0f32; 2 * 2000];
        gain.apply(&mut frames[..200]);
        gain.set(0.1);
        gain.apply(&mut frames[200..]);
        let left: Vec<f32> = frames.iter().step_by(2).copied().collect();
        let biggest_jump = left.windows(2).map(|w| (w[1] - w[0]).abs()).fold(0.0, f32::max);
        assert!(
            biggest_jump <= 0.9 / RAMP_FRAMES as f32 + 1e-6,
            "a jump of {biggest_jump}"
        );
        assert!((left[left.len() - 1] - 0.1).abs() < 1e-6, "reaches the new level");
    }
}
