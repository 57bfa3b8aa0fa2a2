package dev.camelllm.semantic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compact form of an embedding in a shared store: base64 of little-endian floats, read back strictly. */
class VectorsTest {

    @Test
    void aVectorComesBackExactlyAsLittleEndianFloats() {
        float[] v = {1.5f, -0.25f, 3.0e-8f, 0f};

        String text = Vectors.encode(v);

        assertThat(Vectors.decode(text)).containsExactly(v);
        byte[] bytes = Base64.getDecoder().decode(text);
        assertThat(bytes).hasSize(16);
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(0)).isEqualTo(1.5f);
        assertThat(text).hasSize(24); // a third more than the bytes
    }

    @Test
    void whatIsNotAVectorIsRefusedSayingWhy() {
        assertThatThrownBy(() -> Vectors.decode("!!not-base64!!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> Vectors.decode(Base64.getEncoder().encodeToString(new byte[6])))
                .hasMessageContaining("whole number of 32-bit floats");
        assertThatThrownBy(() -> Vectors.decode("")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Vectors.decode(Vectors.encode(new float[] {1f, Float.NaN})))
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> Vectors.decode(Vectors.encode(new float[] {Float.POSITIVE_INFINITY})))
                .hasMessageContaining("infinity");
    }
}
