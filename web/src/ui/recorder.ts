// Recording a voice message: the microphone through MediaRecorder (Ogg/Opus where the browser makes it, else
// WebM/Opus, else what the browser has), its level while it records, and afterwards what Discord's voice
// messages carry — the length and the waveform (the recording decoded with Web Audio into up to 256 peaks,
// 0-255, base64). Loaded on demand with the recording bar (`VoiceRecorder.tsx`).

/** What a finished recording sends. */
export interface Recorded {
  file: File;
  duration: number;
  waveform: string;
}

const TYPES = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus'];
/** Peaks per second in the waveform, and the most it has. */
const PEAKS_PER_SECOND = 10;
const MAX_PEAKS = 256;

function chooseType(): string {
  return TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

function extension(type: string): string {
  return type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
}

/** Amplitudes as Discord's waveform: the loudest at 255, base64. */
function encode(peaks: number[]): string {
  const top = Math.max(...peaks, 1e-6);
  return btoa(String.fromCharCode(...peaks.map((p) => Math.round((Math.min(p, top) / top) * 255))));
}

/** The loudest sample of each of `count` equal stretches. */
function peaksOf(samples: Float32Array, count: number): number[] {
  const out: number[] = [];
  const size = Math.max(1, Math.floor(samples.length / count));
  for (let i = 0; i < count; i++) {
    let peak = 0;
    for (let j = i * size; j < Math.min(samples.length, (i + 1) * size); j++) peak = Math.max(peak, Math.abs(samples[j]));
    out.push(peak);
  }
  return out;
}

export class Recorder {
  private readonly chunks: Blob[] = [];
  private readonly levels: number[] = [];
  private readonly samples: Float32Array<ArrayBuffer>;
  private readonly sampler: number;
  readonly startedAt = Date.now();

  private constructor(
    private readonly stream: MediaStream,
    private readonly media: MediaRecorder,
    private readonly context: AudioContext,
    private readonly analyser: AnalyserNode,
  ) {
    this.samples = new Float32Array(analyser.fftSize);
    media.ondataavailable = (e) => {
      if (e.data.size > 0) this.chunks.push(e.data);
    };
    media.start(1000);
    // The level ten times a second: the waveform when the recording cannot be decoded.
    this.sampler = window.setInterval(() => this.levels.push(this.level()), 1000 / PEAKS_PER_SECOND);
  }

  /** Asks for the microphone and starts recording. Rejects when the microphone is refused or missing. */
  static async open(): Promise<Recorder> {
    // The audio context first, while the press still counts as a gesture (else it may start suspended).
    const context = new AudioContext();
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (error) {
      void context.close();
      throw error;
    }
    void context.resume().catch(() => undefined);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const type = chooseType();
    const media = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
    return new Recorder(stream, media, context, analyser);
  }

  /** Seconds since the recording started. */
  elapsed(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  /** How loud the microphone is now, 0..1. */
  level(): number {
    this.analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const v of this.samples) sum += v * v;
    return Math.min(1, Math.sqrt(sum / this.samples.length) * 5);
  }

  /** Stops and gives the recording with its length and waveform (null when nothing was recorded). */
  async stop(): Promise<Recorded | null> {
    const elapsed = this.elapsed();
    const stopped = new Promise<void>((resolve) => {
      this.media.onstop = () => resolve();
    });
    if (this.media.state !== 'inactive') this.media.stop();
    await stopped;
    this.release(false);
    const type = (this.media.mimeType || this.chunks[0]?.type || 'audio/webm').split(';')[0];
    const blob = new Blob(this.chunks, { type });
    if (blob.size === 0) {
      void this.context.close();
      return null;
    }
    let duration = elapsed;
    let waveform: string;
    try {
      const decoded = await this.context.decodeAudioData(await blob.arrayBuffer());
      duration = decoded.duration;
      const count = Math.max(1, Math.min(MAX_PEAKS, Math.round(duration * PEAKS_PER_SECOND)));
      waveform = encode(peaksOf(decoded.getChannelData(0), count));
    } catch {
      waveform = encode(this.levels.length > MAX_PEAKS ? peaksOf(Float32Array.from(this.levels), MAX_PEAKS) : this.levels);
    }
    void this.context.close();
    const file = new File([blob], `voice-message.${extension(type)}`, { type });
    return { file, duration: Math.round(duration * 100) / 100, waveform };
  }

  /** Stops and throws the recording away. */
  cancel(): void {
    this.media.onstop = null;
    if (this.media.state !== 'inactive') this.media.stop();
    this.release(true);
  }

  private release(closeContext: boolean): void {
    window.clearInterval(this.sampler);
    for (const track of this.stream.getTracks()) track.stop();
    if (closeContext) void this.context.close();
  }
}
